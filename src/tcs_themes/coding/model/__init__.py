"""The trained coder: features, per-theme models and thresholds, embeddings, weak labels, the classifier, training, model files and cards."""
