"""The words the name rules look at around a capitalised word: titles, sign-offs, greetings, relatives and
carers that announce a name; verbs of speech and of talking that show a person is meant; and the words that are
never names (places, organisations, things, days, function words).

Lower-case sets, read by :mod:`tcs_themes.ingest.person_names` (the rules) and
:mod:`tcs_themes.ingest.name_lists` (which leaves these words out of the given names).
"""

from __future__ import annotations

#: English function words, found in almost every English text and in no other language's (word lists of
#: English leave them out).
FUNCTION_WORDS = frozenset(
    """the and of to is are was were be been for with from that this these those there their they them it its
    we our us you your he she his her him my me not but or if so as at by on in into an have has had do does did
    will would should could can about what which who when where why how than then also just very more most""".split()
)
TITLES = frozenset(
    "mr mrs ms miss mx dr cllr councillor prof professor sir dame rev revd reverend".split()
)
#: Titles that are no everyday word, trusted before a name in lower case.
PLAIN_TITLES = frozenset("mr mrs ms mx dr cllr prof".split())
#: Last words of a sign-off, before the writer's name.
SIGN_OFFS = frozenset("regards wishes thanks cheers sincerely faithfully truly best love warmly signed yours ta".split())
#: Sign-offs after which a capitalised word ending the text is a name even without a comma ("Regards Oluwaseun").
FIRM_SIGN_OFFS = frozenset("regards wishes cheers sincerely faithfully truly signed".split())
#: Words that, with a colon, label a name in running text ("Name: Jo Bloggs", "From: ...", "Cc: ...").
NAME_LABELS = frozenset(
    """name names from contact signed author respondent by cc bcc attn fao surname forename firstname lastname
    speaker participant attendee interviewee caller tenant patient client customer volunteer""".split()
)
#: Greetings before the name of the person written to ("Dear Cerys,", "Hi Sam").
GREETINGS = frozenset("dear hi hello hiya".split())
#: Words after a greeting that name no one ("Dear Sir/Madam", "Hi all", "Hello everyone").
NOT_ADDRESSEES = frozenset("sir madam sirs all everyone everybody colleagues councillors friends folks there".split())
#: Relatives and others whose name may follow "my"/"our" ("my son Liam", "our neighbour, Aisha").
KIN = frozenset(
    """son sons daughter daughters wife husband partner child kid boy girl grandson granddaughter grandchild mum mom
    mother dad father sister brother aunt auntie uncle nephew niece cousin neighbour neighbor friend carer colleague
    fiance fiancee fiancé fiancée boyfriend girlfriend stepson stepdaughter""".split()
)
#: Place words that are common surnames too ("Wood", "Hill", "Ward", "King"): a name may end in one where a
#: context announces a name.
PLACE_SURNAMES = frozenset(
    """hill hills wood woods marsh green ward king field fields brook bridge ford hall cross gate moor heath lane park
    church mill mills wells banks dale rivers meadows may""".split()
)
#: Those of them taken after a known given name even without a context ("Stephanie Wood said"; not "Hill", "Park",
#: "Ward": "Rose Hill", "Florence Park" and "Lynn Jarrett Ward" are places).
FREE_PLACE_SURNAMES = frozenset("wood woods marsh cross king brook ford moor heath wells banks rivers".split())
#: Ends of contractions ("I'm", "don't", "they're"): such a word is no name.
CONTRACTIONS = frozenset("m re ve ll d t".split())
#: Words before a relative whose name may follow ("my son Liam", "her carer Nkechi").
KIN_OWNERS = frozenset("my our his her their your".split())
#: Others named after the word alone ("carer Nkechi visits", "Nurse Jenna", "the receptionist, Tendai"), when the
#: word after is a given name or no everyday word ("Nurse Practitioner", "Sister Ward" stay).
CARERS = frozenset(
    """carer carers neighbour neighbor nurse sister matron midwife officer pc sergeant inspector pastor imam rabbi
    teacher caretaker warden porter receptionist consultant surgeon physio therapist worker volunteer manager
    cleaner driver""".split()
)
#: Lower-case words a rule can start at: the last word of "my name is", "I am", "I'm", "thank you", titles,
#: sign-offs, relatives.
CUES = TITLES | SIGN_OFFS | NAME_LABELS | KIN | CARERS | GREETINGS | {"is", "am", "called", "name's", "i'm", "i\u2019m", "you", "o"}
#: Words any of which a cue needs (with "my name", "this is", "I am" checked as pairs).
CUE_WORDS = TITLES | SIGN_OFFS | NAME_LABELS | KIN | CARERS | GREETINGS | {"called", "name's", "i'm", "i\u2019m", "thank"}
#: Capitalised words that are not names even when a context seems to announce one.
NOT_NAMES = frozenset(
    """the a an and or but of for to in on at by with from as this that these those there here it its we our
    us they their them he she his her him you your i me my mine all any some no not yes so if when where why how
    what which who please thank thanks hi hello dear regards sincerely also again very many more most just only
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december today tomorrow yesterday council councils city county borough district
    road street lane avenue close drive way crescent terrace place gardens court grove square hill park green rise
    row walk mews parade station bridge estate ward library centre center hall college school church house team
    group forum trust bank network partnership association society club project board hub services service
    department office committee officer officers residents resident community communities people public gypsy
    gypsies roma traveller travellers is was are were be been has have had do does did can could would should
    shall might must such i've i'll i'd north south east west nurse nurses doctor doctors visitor unit mother
    father mum dad sister brother manager health healthcare queen king prince princess royal admiral captain
    sergeant general major about above after against along among around before behind below beside between
    beyond during except inside into like near off onto out outside over past since than through till toward
    towards under until upon within without still really quite too very well now then everyone everybody
    everything someone somebody something anyone anybody anything nobody nothing noone whoever whatever myself
    christ jesus god allah easter christmas bristol
    yourself himself herself itself ourselves themselves yourselves ours yours theirs hers one none each every
    either neither both few several much lots ok okay im ive dont cant wont didnt doesnt isnt wasnt""".split()
)
ORG_OR_PLACE = frozenset(
    """council house bank friends trust association network partnership group forum charity cic foundation
    society centre center ltd limited nhs university college school church mosque alliance services club
    collective project board hub federation institute agency housing cooperative road street lane avenue close
    drive way crescent terrace place gardens court grove square hill park green rise row walk mews parade
    station bridge estate ward library hall team ferry garden playground allotments lido pavilion meadow meadows field fields farm wood woods common marsh
    end cross gate quay wharf market hospital surgery practice academy primary museum theatre gallery stadium
    pool leisure arts festival partners rd st ave ln cl dr cres pl gdns ct sq tesco tescos sainsbury sainsburys
    asda aldi lidl morrisons waitrose coop co-op greggs costa starbucks mcdonalds mcdonald's kfc primark argos
    amazon facebook google youtube instagram twitter tiktok whatsapp netflix uber deliveroo stagecoach sustrans
    ofsted ofgem ofcom mencap healthwatch barnardos barnardo's oxfam nspcc rspb rspca unison macmillan scope
    groundwork""".split()
)
NEVER_NAMES = NOT_NAMES | ORG_OR_PLACE
#: Capitalised last words of the name of an event, a building or a thing that no one has for a surname ("Chelsea
#: Flower Show", "Alexandra Palace", "Elizabeth Line", "Florence Nightingale Hospice"): a run of capitalised words
#: that a given name starts and one of these ends is no person's name.
THING_HEADS = frozenset(
    """show shows festival fest fund appeal awards award prize cup trophy line palace cathedral chapel memorial
    hospice arena hotel cafe café restaurant bistro pub inn bakery store stores games marathon lecture programme
    scheme unit building buildings baths airport zoo carnival gala fete fête fayre playgroup nursery pharmacy
    rooms halls institute expo exhibition conference tour concert musical cinema playhouse week dock docks
    bowl medal stakes""".split()
)
#: Last words of a thing's name that are surnames too ("Jo Day"): a thing only after two capitalised words or a
#: possessive ("Martin Luther King Day", "St George's Day"; "Jo Day said" stays a name).
LONG_THING_HEADS = frozenset({"day"})
#: Words of a role after such a word ("Sarah Black Line Manager", "Sarah Little Programme Lead"): then it names a job
#: after a person's name, not a thing.
ROLE_WORDS = frozenset(
    """manager managers coordinator co-ordinator officer lead leader assistant director worker supervisor
    administrator admin nurse keeper secretary chair head volunteer support""".split()
)
#: Given name and surname pairs that name a thing in this feedback, not a person who wrote or was written about
#: (a book, a dog, a charity, a mountain, a shop): not taken as a name unless a context announces one.
KNOWN_THINGS = frozenset(
    tuple(thing.split()) for thing in (
        "harry potter", "jack russell", "marie curie", "peter pan", "mary poppins", "billy elliot", "robin hood",
        "ben nevis", "victoria sponge", "florence nightingale", "grace darling", "martin luther king",
        "ronald mcdonald", "victoria cross",
    )
)
#: Words a file or sheet name puts after a name that are no surname ("jo notes.xlsx"), and file extensions.
LABEL_WORDS = frozenset(
    """csv xlsx xlsm xls eml mbox msg pdf docx doc txt ods odt qdpx parquet notes note response responses reply
    feedback comments comment session sessions meeting event workshop survey export final draft copy version
    minutes summary transcript interview letter email mail form data sheet file""".split()
)
#: Verbs after a name that say a person is meant ("Then Sam said ...", "Priya told me", "Rose has said").
SAYS = frozenset(
    """said says told tells asked asks explained explains mentioned mentions suggested suggests thinks thought
    feels felt agreed agrees replied replies wrote writes emailed rang phoned texted messaged reckons reckoned
    complained complains promised promises admitted recommended recommends warned reminded insisted""".split()
)
#: Words between a name and such a verb ("Sam also said", "Priya has always said").
SAYS_BETWEEN = frozenset("has had also just then always once later kindly never actually even".split())
#: Words right before a name that say a person is meant ("told Priya", "ask Jo", "thank you Sam").
ADDRESSED = frozenset("told tell asked ask met meet emailed email rang phoned texted messaged contacted thank thanks thanked".split())
#: Pairs of words before a name that say a person is meant ("spoke to Priya", "thanks to Bernadette", "met with
#: Sam", "helped by Tomasz", "me and Jo").
ADDRESSED_PAIRS = frozenset(
    [(verb, "to") for verb in "spoke speak speaking talked talk talking chatted chatting thanks according wrote "
     "write writing listened listen introduced married".split()]
    + [(verb, "with") for verb in "spoke speak speaking talked talk talking chatted met meet meeting went came "
       "work worked working live lives living lived volunteer volunteered volunteering stayed".split()]
    + [(verb, "by") for verb in "helped supported visited seen interviewed greeted".split()]
    + [("thank", "you"), ("me", "and"), ("myself", "and")]
)
#: Verbs of giving or telling, a few words before "to" and a name ("pass this to Wojciech", "I sent it to Priya").
GIVING = frozenset(
    """pass passed give gave given send sent forward forwarded hand handed report reported complain complained
    mention mentioned explain explained write wrote introduce introduced lend lent pay paid show showed""".split()
)
#: The words of :data:`ADDRESSED` and :data:`ADDRESSED_PAIRS` that speak of talking to a person, not an
#: organisation ("told", "spoke to"; not "emailed", "according to").
TALKING = frozenset("told asked met thanked texted messaged spoke speak speaking talked talk talking chatted chatting me myself".split())
#: Words after a possessive that make it a thing named after a person ("Cohen's kappa", "Addison's disease").
EPONYM_HEADS = frozenset(
    """kappa alpha coefficient test law laws theorem rule principle method disease diseases syndrome palsy
    sign signs ulcer fracture reflex""".split()
)
DETERMINERS = frozenset("the a an this that these those".split())
#: Words before a capitalised word that make it a place or part of a longer name ("in Barton", "the Clifton
#: estate", "St Paul's", "New Marston"), when no verb says a person is meant.
PLACE_BEFORE = frozenset(
    """in at to from near around of across towards toward via into onto outside through up down round past off
    over between beyond behind opposite beside inside within along the a an this that these those our their
    your my his her its st saint new old north south east west upper lower great greater little mount port fort
    and or""".split()
)
#: Words after a capitalised word that make it a place or a thing ("Barton residents", "the Easton area").
PLACE_AFTER = frozenset(
    """resident residents area areas estate estates ward wards community communities village town city centre
    center neighbourhood neighborhood side division parish library school schools primary academy college
    shops shop park road street lane way bus buses station surgery clinic hospital church mosque temple people
    folk families children kids youth club hub project festival fair market common green campus branch
    office team group partnership network forum trust council""".split()
)
#: Cue words but relatives and carers, which count only before a capitalised word.
PLAIN_CUE_WORDS = CUE_WORDS - KIN - CARERS
KIN_OR_CARERS = KIN | CARERS
