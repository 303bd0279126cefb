"""Build the sample consultation's emails: .eml files and one .mbox export.

Every message is invented for the tcs-themes sample. They are written to the
City Conversation mailbox by partner organisations, a county officer, a GP
practice manager and residents, and are built with the standard library's
``email`` package so that they are real RFC 5322 messages (Message-ID, Date,
From with display name, To, Subject), in the shapes a council mailbox export
holds: plain text, HTML only, multipart/alternative, a reply quoting an
earlier message, signatures, a disclaimer footer and attachments.

Run from the repository root::

    python scripts/build_sample_emails.py

It rewrites ``data/raw/emails/*.eml`` and ``data/raw/emails/mailbox_export.mbox``
and gives the same bytes on every run.
"""

from __future__ import annotations

import datetime as dt
import io
import mailbox
import zipfile
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime
from pathlib import Path

import docx

MAILBOX = Address("City Conversation", "citysconversation", "oxford-example.gov.uk")
OUT_DIR = Path(__file__).resolve().parents[1] / "data" / "raw" / "emails"
BST = dt.timezone(dt.timedelta(hours=1))
# Headers such as long Subjects and Message-IDs stay on one line when written.
WRITE_POLICY = default_policy.clone(max_line_length=200)


@dataclass
class Attachment:
    """A file attached to a sample email."""

    filename: str
    maintype: str
    subtype: str
    data: bytes


@dataclass
class Mail:
    """One sample email: headers, a plain and/or HTML body, attachments."""

    slug: str
    sender: Address
    subject: str
    sent: dt.datetime
    plain: str | None = None
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    in_reply_to: str | None = None
    cc: Address | None = None

    @property
    def message_id(self) -> str:
        """A stable Message-ID built from the send time and the sender's domain."""
        return f"<{self.sent:%Y%m%d%H%M%S}.{self.slug}@{self.sender.domain}>"


def tiny_pdf(lines: list[str]) -> bytes:
    """Return a small, valid one-page PDF showing ``lines`` in Helvetica.

    Parameters
    ----------
    lines : list of str
        Text lines (ASCII, no parentheses or backslashes) drawn top to bottom.

    Returns
    -------
    bytes
        The PDF file, with a correct cross-reference table.
    """
    stream = "BT /F1 11 Tf 56 780 Td 14 TL\n" + "".join(f"({t}) '\n" for t in lines) + "ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def tiny_docx(title: str, paragraphs: list[str]) -> bytes:
    """Return a small Word document with a heading and paragraphs.

    Parameters
    ----------
    title : str
        The document heading.
    paragraphs : list of str
        Body paragraphs in order.

    Returns
    -------
    bytes
        The .docx file, with a fixed core-properties date so that builds repeat.
    """
    document = docx.Document()
    document.core_properties.author = "Sample author"
    fixed = dt.datetime(2022, 8, 30, 9, 0, 0)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    # Re-pack with fixed member timestamps so that builds repeat byte for byte.
    packed = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=fixed.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return packed.getvalue()


def build_message(mail: Mail) -> EmailMessage:
    """Turn a :class:`Mail` into an :class:`email.message.EmailMessage`.

    Parameters
    ----------
    mail : Mail
        The email's headers, bodies and attachments.

    Returns
    -------
    EmailMessage
        Plain-only, HTML-only or multipart/alternative, made multipart/mixed
        when there are attachments.
    """
    msg = EmailMessage()
    msg["Message-ID"] = mail.message_id
    msg["Date"] = format_datetime(mail.sent)
    msg["From"] = mail.sender
    msg["To"] = MAILBOX
    if mail.cc is not None:
        msg["Cc"] = mail.cc
    msg["Subject"] = mail.subject
    if mail.in_reply_to:
        msg["In-Reply-To"] = mail.in_reply_to
        msg["References"] = mail.in_reply_to
    if mail.plain is not None:
        msg.set_content(mail.plain)
        if mail.html is not None:
            msg.add_alternative(mail.html, subtype="html")
    elif mail.html is not None:
        msg.set_content(mail.html, subtype="html")
    else:
        raise ValueError(f"email {mail.slug} has no body")
    for item in mail.attachments:
        msg.add_attachment(
            item.data, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    for number, part in enumerate(msg.walk()):
        if part.is_multipart():  # fixed boundaries so that builds repeat byte for byte
            part.set_boundary(f"----=_Part_{number}_{mail.slug}")
    return msg


def when(month: int, day: int, hour: int, minute: int) -> dt.datetime:
    """A 2022 send time in British Summer Time."""
    return dt.datetime(2022, month, day, hour, minute, tzinfo=BST)


HOUSING_DISCLAIMER = """\
This email and any attachments are confidential and intended solely for the
addressee. If you have received it in error please notify the sender and
delete it. Any views expressed are those of the individual and not
necessarily those of Riverside Meadows Housing Association. Riverside Meadows
Housing Association is a registered society (no. 00000R) and a registered
provider of social housing. We monitor email for security and compliance."""

COUNTY_DISCLAIMER = """\
This email, including attachments, may contain confidential or legally
privileged information and is intended only for the named recipient. If you
are not the intended recipient you must not use, copy or disclose it; please
tell the sender and delete it. Emails to and from the County Council may be
monitored and may be disclosed under the Freedom of Information Act 2000."""


def mails() -> list[Mail]:
    """All .eml messages of the sample, in file order."""
    items: list[Mail] = []

    items.append(Mail(
        slug="youth-charity",
        sender=Address("Maya Okonjo", "maya.okonjo", "eastsideyouth.example.org"),
        subject="City Conversation - response from Eastside Youth Project",
        sent=when(7, 28, 16, 42),
        plain="""\
Dear City Conversation team,

Thank you for the session with youth partners last week. Our staff team met
afterwards to put together a written response, which is below.

1. Young people are almost invisible in the discussion paper. Around a third
   of the city's residents are under 25, yet children and young people get a
   couple of lines. We would like to see them named as a priority group in
   their own right, not folded into "families".

2. Youth provision needs secure funding. Every one of our sessions is paid
   for by a one-year grant, and we lose good youth workers every spring
   because we cannot promise them a job after March. If the strategy is
   serious about relationships and trust, it needs to support three-year
   funding for open-access youth work.

3. Involve young people properly. Our young leaders (aged 15-19) would be
   glad to run peer conversations about the strategy on the estates this
   autumn. They should be paid or rewarded for this, as adults on advisory
   groups are.

4. Be clear what will change. The young people we showed the paper to asked,
   quite reasonably, "so what are they actually going to do?"

Happy to talk any of this through - my direct line is 01865 000 417 and I am
usually in the office Tuesday to Thursday.

Best wishes,
Maya

--
Maya Okonjo
Project Manager, Eastside Youth Project
Registered charity no. 1000000
""",
    ))

    items.append(Mail(
        slug="food-bank",
        sender=Address("Southfield Food Bank", "info", "southfieldfoodbank.example.org"),
        subject="Feedback on the Thriving Communities discussion paper",
        sent=when(8, 3, 9, 15),
        html="""\
<html><body style="font-family: Arial, sans-serif; font-size: 11pt">
<p>Hello,</p>
<p>Our trustees discussed the Thriving Communities discussion paper at their
July meeting and asked me to send in the following points.</p>
<ul>
<li><b>Cost of living is missing.</b> We fed 40% more people in June than a
year ago, many of them in work. A strategy about thriving communities has to
start from the fact that a growing number of households cannot cover the
basics.</li>
<li><b>Food banks are community spaces too.</b> People come for a parcel and
stay for a cup of tea, advice on debt, a chat. We would like the strategy to
recognise that and to include us when it talks about community assets.</li>
<li><b>Partnership, not referral.</b> Council services send people to us
every day. We would welcome a proper partnership with a named contact, shared
information about where need is rising, and help with our premises costs.</li>
<li><b>Volunteers are stretched.</b> Our 70 volunteers are mostly retired and
many are now struggling with their own bills. Travel expenses and a thank-you
go a long way.</li>
</ul>
<p>We would be glad to host a conversation with the people who use the food
bank, if someone from the council can come on a Thursday morning.</p>
<p>With thanks,<br>
Operations Coordinator<br>
Southfield Food Bank</p>
</body></html>
""",
    ))

    items.append(Mail(
        slug="arts-trust",
        sender=Address("Rosalind Achterberg", "r.achterberg", "oldbreweryarts.example.org"),
        subject="Old Brewery Arts Trust - our thoughts on the strategy",
        sent=when(8, 26, 14, 5),
        plain="""\
Dear colleagues,

I'm writing on behalf of the Old Brewery Arts Trust following the arts and
culture network session on 24 August.

First, thank you. It is genuinely encouraging to see culture treated as part
of people's wellbeing rather than as a luxury, and the principle of "doing
with, not to" is one our whole sector can sign up to.

Our main concern is about clarity. "Pride" is one of the four Ps but the paper
never says what it means. Pride in the city's famous heritage? In your own
street? In yourself? Those are very different things and they lead to
different actions. We would urge a short, plain-English description of each P
with an example or two.

Separately, we think creative methods could help you reach people the
consultation is missing. Last year our postcard project, where residents drew
what they wanted for their street, brought back over 400 responses, mostly
from people who had never filled in a council survey. We'd be happy to run
something similar for the next stage.

Finally, on funding: arts organisations have had a very hard decade. If the
strategy is going to lean on cultural partners, please be open about what
resources, if any, come with it.

Kind regards,

Rosalind Achterberg
Director, Old Brewery Arts Trust
07700 900 382
""",
        html="""\
<html><body>
<p>Dear colleagues,</p>
<p>I'm writing on behalf of the Old Brewery Arts Trust following the arts and
culture network session on 24 August.</p>
<p>First, thank you. It is genuinely encouraging to see culture treated as part
of people's wellbeing rather than as a luxury, and the principle of
&ldquo;doing with, not to&rdquo; is one our whole sector can sign up to.</p>
<p>Our main concern is about clarity. &ldquo;Pride&rdquo; is one of the four Ps but
the paper never says what it means. Pride in the city's famous heritage? In
your own street? In yourself? Those are very different things and they lead to
different actions. We would urge a short, plain-English description of each P
with an example or two.</p>
<p>Separately, we think creative methods could help you reach people the
consultation is missing. Last year our postcard project, where residents drew
what they wanted for their street, brought back over 400 responses, mostly
from people who had never filled in a council survey. We'd be happy to run
something similar for the next stage.</p>
<p>Finally, on funding: arts organisations have had a very hard decade. If the
strategy is going to lean on cultural partners, please be open about what
resources, if any, come with it.</p>
<p>Kind regards,</p>
<p><b>Rosalind Achterberg</b><br>Director, Old Brewery Arts Trust<br>07700 900 382</p>
</body></html>
""",
    ))

    items.append(Mail(
        slug="housing-association",
        sender=Address("Daniel Pryce", "daniel.pryce", "riversidemeadows.example.co.uk"),
        subject="RE: Thriving Communities Strategy consultation - housing association response",
        sent=when(8, 12, 11, 30),
        plain=f"""\
Hi all,

Please find below Riverside Meadows' response. We own or manage around 2,300
homes in the city, concentrated in four wards.

1. Registered providers should be named as partners. In parts of the city we
   house more people than the council does, and our neighbourhood officers
   and community investment team are on the ground every day.
2. Join up resident involvement. Our residents are already asked to take part
   in our own scrutiny panel and surveys. We'd suggest shared engagement
   events rather than separate ones, so people are not asked the same
   questions twice in a month.
3. Share data. We can share anonymised, estate-level information on
   household profile, financial inclusion referrals and anti-social
   behaviour reports, under a data-sharing agreement.
4. Governance. We'd like a seat for housing providers on whatever
   partnership group oversees the strategy.
5. Measures. We'd recommend a small number of outcome measures that all
   partners can report against, rather than each organisation inventing its
   own.

Kind regards,
Daniel

Daniel Pryce
Head of Communities and Neighbourhoods
Riverside Meadows Housing Association
T: 0300 000 0718

{HOUSING_DISCLAIMER}
""",
    ))

    items.append(Mail(
        slug="sports-club",
        sender=Address("Kev Marsh", "kev.marsh", "cowleyrovers.example.org"),
        subject="parks and pitches",
        sent=when(8, 18, 21, 47),
        plain="""\
Hi,

Saw the bit on Facebook about the City Conversation. I run the junior
section at Cowley Rovers FC (about 180 kids, under 7s to under 16s).

Honestly the main thing for us is pitches. The changing rooms at the rec
have been shut for two seasons, the lights don't work and we're paying more
every year for pitches that flood. If the council wants kids active and
communities "thriving" that's the easiest win going.

Also - we're all volunteers. The DBS checks, coaching badges and first aid
courses come out of our own pockets or the subs. A bit of help with that
would keep coaches going.

Happy to help with anything, we've got loads of parents who'd fill in a
survey if it was on their phone and took 2 mins.

Cheers
Kev
Sent from my phone
""",
    ))

    items.append(Mail(
        slug="tenants-association",
        sender=Address("Gloria Feeney", "tra.secretary", "wildbrookestatetra.example.org"),
        subject="Re: Invitation: tenants' conversation on the Thriving Communities Strategy",
        sent=when(8, 22, 19, 12),
        in_reply_to="<20220815100000.invite-tra@oxford-example.gov.uk>",
        plain="""\
Thank you for the invite. We won't make the online session on the 30th - most
of our committee aren't on Zoom and two of us work evenings - so here are our
views instead, agreed at our committee meeting on Monday.

The paper talks a lot about communities "leading" and "owning" things. That
would be lovely, but on Wildbrook we can't even get a reply about the broken
lights on the walkway, which has been reported six times since March. People
will judge this strategy on whether the small things get done.

We also feel the council only comes to us when it needs something signed
off. If you want tenants involved, come to one of our monthly meetings (first
Tuesday, 7pm, in the community room), and then come back and tell us what
happened to what we said.

Last thing - the grant forms. We applied for £400 for a summer fun day and
the form was eleven pages long. Please make it simpler for small groups.

Gloria Feeney
Secretary, Wildbrook Estate Tenants' and Residents' Association

On Mon, 15 Aug 2022 at 11:00, City Conversation <citysconversation@oxford-example.gov.uk> wrote:
> Dear Tenants' and Residents' Association,
>
> As part of the City Conversation on our Thriving Communities Strategy we
> are holding an online conversation for tenants' groups on Tuesday 30
> August, 6-7.30pm. We'd like to hear your views on three questions:
>
> - What have we missed?
> - How can you work with us to achieve the aims?
> - What does success look like and how do we measure it?
>
> If you can't attend, you are welcome to reply to this email with your
> views.
>
> Best wishes,
> The City Conversation team
""",
    ))

    items.append(Mail(
        slug="county-officer",
        sender=Address("Priya Raman", "priya.raman", "county.example.gov.uk"),
        cc=Address("Public Health Policy", "ph.policy", "county.example.gov.uk"),
        subject="County Council officer comments - Thriving Communities Strategy",
        sent=when(9, 2, 10, 8),
        plain=f"""\
Dear City Conversation team,

Thank you for involving the County Council. These are officer-level comments
from the communities and public health teams; they are not a formal County
Council position.

Alignment
- The strategy overlaps substantially with the county's prevention
  framework, the joint health and wellbeing strategy and the emerging
  children and young people's plan. A short section mapping how TCS relates
  to each would help partners and avoid duplicated engagement.
- Several of the proposed priorities (loneliness, physical activity,
  community capacity) already have county-wide action plans. We'd suggest
  the city strategy focuses on what is distinctive at city level.

Measurement
- We would encourage shared indicators, ideally drawn from existing
  sources (the JSNA, the annual residents' survey, the school health
  survey), so that both councils report against the same measures.
- Please include equality breakdowns so that progress on inequalities is
  visible, not just city-wide averages.

Governance
- It is not yet clear where the strategy will be governed. If it reports
  to the city partnership board, county representation there would be
  appropriate.

Happy to discuss. I can be reached on 01865 000 902 or at this address.

Regards,
Priya

Priya Raman
Senior Policy Officer, Communities
County Council

{COUNTY_DISCLAIMER}
""",
        html=f"""\
<html><body style="font-family: Calibri, sans-serif">
<p>Dear City Conversation team,</p>
<p>Thank you for involving the County Council. These are officer-level
comments from the communities and public health teams; they are not a formal
County Council position.</p>
<p><b>Alignment</b></p>
<ul>
<li>The strategy overlaps substantially with the county's prevention
framework, the joint health and wellbeing strategy and the emerging children
and young people's plan. A short section mapping how TCS relates to each would
help partners and avoid duplicated engagement.</li>
<li>Several of the proposed priorities (loneliness, physical activity,
community capacity) already have county-wide action plans. We'd suggest the
city strategy focuses on what is distinctive at city level.</li>
</ul>
<p><b>Measurement</b></p>
<ul>
<li>We would encourage shared indicators, ideally drawn from existing sources
(the JSNA, the annual residents' survey, the school health survey), so that
both councils report against the same measures.</li>
<li>Please include equality breakdowns so that progress on inequalities is
visible, not just city-wide averages.</li>
</ul>
<p><b>Governance</b></p>
<ul>
<li>It is not yet clear where the strategy will be governed. If it reports to
the city partnership board, county representation there would be
appropriate.</li>
</ul>
<p>Happy to discuss. I can be reached on 01865 000 902 or at this address.</p>
<p>Regards,<br>Priya</p>
<p>Priya Raman<br>Senior Policy Officer, Communities<br>County Council</p>
<p style="font-size: 8pt; color: #666666">{COUNTY_DISCLAIMER}</p>
</body></html>
""",
    ))

    items.append(Mail(
        slug="gp-practice",
        sender=Address("Helen Whitcombe", "practice.manager", "marstonroadsurgery.example.org"),
        subject="Thriving Communities - comments from Marston Road Surgery (attached)",
        sent=when(9, 9, 13, 20),
        plain="""\
Good afternoon,

Our partners asked me to send a short response to the Thriving Communities
discussion paper. The full comments are in the attached PDF; in summary:

- our social prescribing link worker refers patients to community groups
  every week, and many of those groups are struggling to stay open;
- loneliness, debt and cold homes are now among the commonest reasons for
  appointments that are not really medical;
- we would like the strategy to treat GP practices and primary care networks
  as partners, and to keep an up-to-date directory of local groups that our
  staff can rely on.

Kind regards,
Helen Whitcombe
Practice Manager
Marston Road Surgery
""",
        attachments=[Attachment(
            filename="Marston_Road_Surgery_TCS_response.pdf",
            maintype="application",
            subtype="pdf",
            data=tiny_pdf([
                "Marston Road Surgery - response to the Thriving Communities discussion paper",
                "",
                "1. Social prescribing depends on a healthy community and voluntary sector.",
                "   Groups we refer to need stable funding, not one-year grants.",
                "2. Loneliness, debt and cold homes drive demand for appointments.",
                "   The strategy should name the cost of living as a priority.",
                "3. Please keep one shared, current directory of community activities.",
                "4. Measure what matters to patients: someone to turn to, feeling safe,",
                "   being able to afford to heat the home.",
                "",
                "Marston Road Surgery, September 2022",
            ]),
        )],
    ))

    items.append(Mail(
        slug="resident-barton",
        sender=Address("Tom Ashdown", "tom.ashdown62", "mailbox.example.co.uk"),
        subject="My views on the strategy",
        sent=when(7, 19, 22, 3),
        plain="""\
To whoever reads these,

My name is Tom Ashdown and I've lived on the same road in Barton (OX3 9XX)
for 31 years. I read the discussion paper on the library computer because I
don't have internet at home, which is my first point: plenty of us aren't
online and you shouldn't assume we are.

The paper is full of words like "place-based" and "system" and I'm not sure
what any of it means for my street. What I'd like is simple. The community
centre open more than two days a week. The bus back after 7pm. Somebody at
the council who answers the phone.

I used to be on the residents' association and we did good things - the
Christmas lights, a litter pick every month. It fell apart when the council
worker who helped us left and wasn't replaced. So if you want people to get
involved, give them someone to work with and keep them there.

Thank you for asking, anyway. It makes a change.

Tom Ashdown
""",
    ))

    items.append(Mail(
        slug="resident-html",
        sender=Address("Sunita Bhandari", "sunita.b", "webmail.example.co.uk"),
        subject="Parks and safety - Thriving Communities",
        sent=when(8, 7, 8, 51),
        html="""\
<div dir="ltr">
<div>Hi there,</div>
<div><br></div>
<div>I'm a mum of two in Rose Hill and I filled in the online form but wanted
to add something. The park at the end of our road is lovely in the daytime but
nobody goes there after dark because there's no lighting on the path and it
feels unsafe. My daughter (14) and her friends have nowhere else to go in the
evenings, so they end up at the chicken shop.</div>
<div><br></div>
<div>If the strategy is about pride in where you live, please start with the
basics: lights, bins that get emptied, somewhere for teenagers.</div>
<div><br></div>
<div>Thanks,</div>
<div>Sunita</div>
</div>
""",
    ))

    items.append(Mail(
        slug="community-centre",
        sender=Address("Brian Oduya", "chair", "northwaycommunityassoc.example.org"),
        subject="Northway Community Association - response and usage figures",
        sent=when(8, 31, 17, 36),
        plain="""\
Dear City Conversation team,

Following this evening's centre managers' meeting, please find attached our
association's written response, which the committee agreed last week.

The short version: community centres are where a lot of what the strategy
describes already happens, but our buildings are old, our volunteers are
getting older, and our energy bills are about to triple. We would ask the
council to

  * give centres longer leases so we can plan and apply for grants;
  * set up a small capital fund for boilers, roofs and accessible toilets;
  * help us recruit and train a new generation of committee members.

The attached document also has a summary of who uses the centre, which you
are welcome to use as evidence.

Regards,
Brian Oduya
Chair, Northway Community Association
""",
        attachments=[Attachment(
            filename="Northway_CA_response_TCS.docx",
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
            data=tiny_docx(
                "Northway Community Association: response to the Thriving Communities Strategy",
                [
                    "The centre is open six days a week and is used by 23 regular groups, "
                    "from a parent and toddler group to a men's shed and a Polish Saturday school.",
                    "Our committee of nine volunteers has an average age of 68. Without help to "
                    "recruit younger trustees we do not expect to be running in five years' time.",
                    "Our energy costs are forecast to rise from about £5,800 to £17,000 a year. "
                    "We cannot pass this on to groups without pricing out the people "
                    "who need us most.",
                    "We ask for longer leases, a small capital fund and practical help with "
                    "volunteer recruitment, and we would welcome being treated as a partner in "
                    "delivering the strategy.",
                ],
            ),
        )],
    ))

    items.append(Mail(
        slug="disability-forum",
        sender=Address("Access For All", "hello", "accessforall.example.org"),
        subject="Accessible formats and involving disabled people",
        sent=when(8, 4, 12, 0),
        plain="""\
Dear team,

Several of our members tried to take part in the City Conversation and could
not. We would ask you to:

- publish an easy-read version of the discussion paper and of the final
  strategy, produced with people with learning disabilities;
- offer audio and large-print versions, and BSL-interpreted sessions;
- make sure every venue has step-free access and a hearing loop that works;
- not rely on online forms alone - many disabled people are digitally
  excluded because of cost, not choice.

Beyond formats: disabled people are hardly mentioned in the paper. We are
around one in five residents. We would like to see disabled people involved in
designing the strategy's actions, not only asked to comment on them.

You can contact our coordinator at coordinator@accessforall.example.org.

Best regards,
Access For All
""",
    ))

    items.append(Mail(
        slug="refugee-charity",
        sender=Address("Farida Haidari", "farida", "welcomehousecity.example.org"),
        subject="Welcome House - views from refugee and asylum-seeking residents",
        sent=when(9, 14, 15, 25),
        plain="""\
Dear City Conversation,

Alongside our separate report, I wanted to share three quick reflections from
the conversations we held with the people we support.

Many people told us they want to contribute - to volunteer, to cook for
community events, to teach their language - but do not know how to find
these opportunities, or are worried that volunteering might affect their
asylum claim. Clear, translated information would help.

Language is the biggest barrier. Nearly everything about the strategy has
been in English only. Even a one-page summary in Arabic, Dari, Farsi,
Kurdish and Tigrinya would show people they are included.

Finally, trust. Some people are frightened of anything that looks official.
Conversations went best when they were led by people from their own
communities, in places they already knew. We would be glad to support that
approach in the next phase.

With warm regards,
Farida Haidari
Community Development Worker, Welcome House
""",
        html="""\
<html><body>
<p>Dear City Conversation,</p>
<p>Alongside our separate report, I wanted to share three quick reflections
from the conversations we held with the people we support.</p>
<p>Many people told us they want to contribute - to volunteer, to cook for
community events, to teach their language - but do not know how to find these
opportunities, or are worried that volunteering might affect their asylum
claim. Clear, translated information would help.</p>
<p>Language is the biggest barrier. Nearly everything about the strategy has
been in English only. Even a one-page summary in Arabic, Dari, Farsi, Kurdish
and Tigrinya would show people they are included.</p>
<p>Finally, trust. Some people are frightened of anything that looks official.
Conversations went best when they were led by people from their own
communities, in places they already knew. We would be glad to support that
approach in the next phase.</p>
<p>With warm regards,<br>Farida Haidari<br>Community Development Worker, Welcome House</p>
</body></html>
""",
    ))

    items.append(Mail(
        slug="friends-of-park",
        sender=Address(
            "Friends of Horseshoe Meadow", "friendsofhorseshoemeadow", "groups.example.org"
        ),
        subject="Green spaces in the Thriving Communities Strategy",
        sent=when(7, 30, 10, 40),
        plain="""\
Hello,

We are a volunteer group of about 40 residents who look after Horseshoe
Meadow: litter picks, hedge planting, bat walks and the summer picnic.

We were pleased to see green spaces in the discussion paper, but they appear
under "Place" as scenery. For us they are where community happens. Our
picnic brings together people who would never otherwise meet, and our
Tuesday work party has become a lifeline for several retired members who
live alone.

What would help us:
1. one named parks officer we can talk to, who stays in post;
2. a small annual grant for tools, insurance and plants;
3. a say in changes to the meadow before plans are finalised, not after.

And a plea: please don't measure success by how many events happen. Ask
people whether they feel the park is theirs.

Best wishes,
The committee, Friends of Horseshoe Meadow
""",
    ))

    items.append(Mail(
        slug="volunteer-centre",
        sender=Address("Joanne Teasdale", "joanne.teasdale", "cityvolunteers.example.org"),
        subject="Volunteering and the Thriving Communities Strategy",
        sent=when(8, 15, 9, 2),
        plain="""\
Dear colleagues,

City Volunteers brokers around 1,200 volunteer placements a year. Some
points for the strategy:

1. Volunteering has changed since the pandemic. People want short,
   flexible roles they can fit around work and caring, not a weekly
   commitment for years.
2. The cost of volunteering is rising. Bus fares, parking and lunch add
   up, and people on low incomes are quietly dropping out. Expenses should
   be standard, not a favour.
3. Small groups need support to manage volunteers well - safeguarding,
   induction, saying thank you. We can provide this if it is resourced.
4. Recognition matters. An annual celebration of the city's volunteers,
   backed by the council, would cost little and mean a lot.
5. Please don't see volunteers as a way to deliver services on the cheap.

We would be very happy to work with the council on a volunteering strand
of the strategy.

Kind regards,
Joanne Teasdale
Chief Officer, City Volunteers
Tel. 01865 000 233
""",
        html="""\
<html><body>
<p>Dear colleagues,</p>
<p>City Volunteers brokers around 1,200 volunteer placements a year. Some
points for the strategy:</p>
<ol>
<li>Volunteering has changed since the pandemic. People want short, flexible
roles they can fit around work and caring, not a weekly commitment for
years.</li>
<li>The cost of volunteering is rising. Bus fares, parking and lunch add up,
and people on low incomes are quietly dropping out. Expenses should be
standard, not a favour.</li>
<li>Small groups need support to manage volunteers well - safeguarding,
induction, saying thank you. We can provide this if it is resourced.</li>
<li>Recognition matters. An annual celebration of the city's volunteers,
backed by the council, would cost little and mean a lot.</li>
<li>Please don't see volunteers as a way to deliver services on the cheap.</li>
</ol>
<p>We would be very happy to work with the council on a volunteering strand of
the strategy.</p>
<p>Kind regards,<br>Joanne Teasdale<br>Chief Officer, City Volunteers<br>Tel. 01865 000 233</p>
</body></html>
""",
    ))

    items.append(Mail(
        slug="older-peoples-charity",
        sender=Address("Margaret Lindqvist", "m.lindqvist", "silverthreads.example.org.uk"),
        subject="Comments from Silver Threads lunch club members",
        sent=when(8, 25, 14, 48),
        plain="""\
Dear Sir or Madam,

I took the discussion paper to our lunch club last Wednesday and read bits
out. These are the members' comments, as near as I could write them down.

"Why is it so long? Just tell us what you're going to do."

"Older people are always the 'vulnerable'. We ran this city for fifty years,
we're not helpless."

"The bus. Put the bus back and I'll come to your meetings."

"Will anyone actually read what we say?"

My own view is that the council should come and talk to people where they
are, as I did, rather than expecting them to go online. Most of our members
are in their eighties and none of them use email.

Yours faithfully,
Margaret Lindqvist
Organiser, Silver Threads Lunch Club
--
Silver Threads Lunch Club meets every Wednesday, 12-2pm, St Luke's Hall
""",
    ))

    items.append(Mail(
        slug="school-head",
        sender=Address("Adebayo Clarke", "head", "orchardfieldsprimary.example.org.uk"),
        subject="Schools and the Thriving Communities Strategy",
        sent=when(9, 12, 18, 10),
        plain="""\
Dear City Conversation team,

I am head teacher of a primary school serving one of the city's most
deprived neighbourhoods. I was sorry to see schools barely feature in the
discussion paper.

For many families the school is the one public place they trust and visit
every day. We already run a breakfast club, a uniform swap, a parents' cafe
and English classes for mothers. These are community activities in all but
name, and they are paid for out of a school budget that is now under real
pressure.

I would ask that the strategy recognises schools as community anchors,
involves head teachers in planning at neighbourhood level, and considers how
small amounts of council or partner money could keep this kind of provision
going.

I am happy for my school to host a conversation with parents in the autumn
term.

Yours sincerely,
Adebayo Clarke
Head Teacher, Orchard Fields Primary School
""",
    ))
    return items


def mbox_mails() -> list[Mail]:
    """The further messages that only exist in the mailbox export."""
    return [
        Mail(
            slug="allotment-society",
            sender=Address("Ron Castellano", "secretary", "hollowayallotments.example.org"),
            subject="Allotments - please don't forget us",
            sent=when(7, 25, 18, 30),
            plain="""\
Dear City Conversation,

Our society has 140 plots and a waiting list of nearly 300. Allotments are
green space, physical activity, cheap food and friendship all in one, yet
they don't appear in the discussion paper.

We would like the strategy to include food growing, to look at opening up
unused council land for community gardens, and to support the societies that
run sites with volunteer labour.

Ron Castellano
Hon. Secretary, Holloway Allotment Society
""",
        ),
        Mail(
            slug="bike-charity",
            sender=Address("Wheels For Everyone", "team", "wheelsforeveryone.example.org"),
            subject="Cycling, access and the Thriving Communities Strategy",
            sent=when(8, 29, 11, 14),
            html="""\
<html><body>
<p>Hello City Conversation team,</p>
<p>We run inclusive cycling sessions for disabled adults and children, and a
bike recycling project that gives refurbished bikes to people referred by the
job centre and the refugee charities.</p>
<p>Two suggestions for the strategy:</p>
<ul>
<li>treat active travel as part of how people get to community life, not only
as a transport issue &ndash; if you can't get there, you can't take part;</li>
<li>measure participation by the people who currently do least, not by
overall numbers.</li>
</ul>
<p>We'd love to host a session at the track in September if that is useful.</p>
<p>Best,<br>The Wheels For Everyone team</p>
</body></html>
""",
        ),
        Mail(
            slug="resident-headington",
            sender=Address("Ellen Brook", "ellenbrook", "mailbox.example.co.uk"),
            subject="Feedback",
            sent=when(9, 18, 20, 55),
            plain="""\
Hi,

Short one from me. I think the strategy is a good idea and I liked that it
talks about doing things with people and not to them. But I've lived here 12
years and never once been asked my opinion about anything until now, and only
found out about this because a neighbour shared it on the street WhatsApp.

If you want to hear from ordinary people, use things like that - street
groups, school newsletters, the noticeboard at the Co-op.

Ellen
""",
        ),
        Mail(
            slug="youth-charity-followup",
            sender=Address("Maya Okonjo", "maya.okonjo", "eastsideyouth.example.org"),
            subject="Re: City Conversation - response from Eastside Youth Project",
            sent=when(8, 2, 9, 37),
            in_reply_to="<20220728164200.youth-charity@eastsideyouth.example.org>",
            plain="""\
Hello again,

One more thing I forgot in my earlier email. Our young leaders made a short
list of what success would look like to them:

- somewhere to go every evening, not just Tuesdays
- adults who stay, not a new face every term
- being asked before decisions are made, and told afterwards what happened
- feeling safe walking home

They'd be glad to present it to councillors if there's an opportunity.

Maya

On Thu, 28 Jul 2022 at 16:42, Maya Okonjo <maya.okonjo@eastsideyouth.example.org> wrote:
> Dear City Conversation team,
>
> Thank you for the session with youth partners last week. Our staff team met
> afterwards to put together a written response, which is below.
""",
        ),
    ]


def write_all(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write every .eml file and the mbox export under ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        Destination folder; it is created if needed.

    Returns
    -------
    list of Path
        The files written, .eml files first and the mbox last.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for number, mail in enumerate(mails(), start=1):
        path = out_dir / f"{number:02d}_{mail.slug}.eml"
        path.write_bytes(build_message(mail).as_bytes(policy=WRITE_POLICY))
        written.append(path)
    mbox_path = out_dir / "mailbox_export.mbox"
    mbox_path.unlink(missing_ok=True)
    box = mailbox.mbox(str(mbox_path), create=True)
    try:
        for mail in mbox_mails():
            entry = mailbox.mboxMessage(build_message(mail))
            entry.set_from(mail.sender.addr_spec, mail.sent.astimezone(dt.timezone.utc).timetuple())
            box.add(entry)
        box.flush()
    finally:
        box.close()
    written.append(mbox_path)
    return written


if __name__ == "__main__":
    for written_path in write_all():
        print(written_path)
