"""What the synthetic decade holds: its size, the chances of each outcome, and the texts
(topics, themes, comments) it draws from."""

from __future__ import annotations

FIRST_YEAR = 2016  # the decade April 2016 to March 2026: complete years, so the data is fixed
YEARS = 10
BOOKINGS_PER_PRACTITIONER_YEAR = 0.5
MAX_COURSES_PER_YEAR = 60
ONLINE_FROM_YEAR = 2020

# Chances of each outcome, per place booked.
P_SESSION_CANCELLED = 0.025
P_DECLINED = 0.06  # only on courses that need a line manager's approval
P_CANCELLED = 0.07  # before the cut-off: the place goes back to the waiting list
P_LATE_CANCELLED = 0.035
P_NO_SHOW = 0.10
P_OFFER_CLAIMED = 0.7
P_OFFER_EXPIRED = 0.2  # otherwise the person left the list when offered
P_WALK_INS = 0.25
P_IMMEDIATE_EVALUATION = 0.65
P_FOLLOW_UP_EVALUATION = 0.3  # of those who answered straight after
ROWS_PER_SESSION = 21.5  # bookings written per session, on average, with these chances

# (topic, what it covers, two outcomes, level of the foundation course, level of the advanced)
TOPICS: list[tuple[str, str, str, str, str]] = [
    (
        "Recognising abuse and neglect",
        "the signs that a child is being harmed and what to do the same day",
        "Spot the signs of physical, emotional and sexual abuse\nKnow who to tell and how fast",
        "2",
        "3",
    ),
    (
        "Working together across agencies",
        "how partner agencies share a worry, assess need and plan with a family",
        "Describe what each agency brings\nUse the local threshold guidance",
        "3",
        "4",
    ),
    (
        "Domestic abuse and children",
        "the harm domestic abuse does to children and how the partnership's matrix helps",
        "Ask about domestic abuse safely\nUse the risk identification matrix",
        "3",
        "4",
    ),
    (
        "Child sexual exploitation",
        "grooming, exploitation and the local pathway for young people at risk",
        "Name the warning signs of exploitation\nFollow the local exploitation pathway",
        "3",
        "4",
    ),
    (
        "Child criminal exploitation and county lines",
        "how children are drawn into moving drugs and money, and how to respond",
        "Recognise criminal exploitation\nWork with police and youth justice on a plan",
        "3",
        "4",
    ),
    (
        "Neglect",
        "noticing cumulative harm early and using the neglect assessment tool",
        "See the pattern behind small concerns\nComplete the neglect assessment tool",
        "3",
        "4",
    ),
    (
        "Disabled children and safeguarding",
        "why disabled children are more at risk and how to hear their views",
        "Understand the extra risks disabled children face\nAdapt how you communicate",
        "3",
        "4",
    ),
    (
        "Parents with mental ill health",
        "keeping the child in view when a parent is unwell",
        "Consider the impact on the child\nWork alongside adult mental health services",
        "3",
        "4",
    ),
    (
        "Parental alcohol and drug use",
        "the effect of a parent's substance use on children of every age",
        "Ask about substance use without judgement\nKnow the local treatment services",
        "3",
        "4",
    ),
    (
        "Children missing from home, care or education",
        "the missing protocol, return conversations and links with exploitation",
        "Follow the missing children protocol\nHold a useful return conversation",
        "3",
        "4",
    ),
    (
        "Keeping children safe online",
        "online risks for children and practical advice for families",
        "Describe the main online risks\nGive parents clear, practical advice",
        "2",
        "3",
    ),
    (
        "Safer recruitment",
        "recruiting people who work with children safely and lawfully",
        "Plan a safer recruitment process\nKnow which checks are needed and when",
        "5",
        "6",
    ),
    (
        "Allegations against people who work with children",
        "what to do when a concern is raised about a colleague or volunteer",
        "Know the designated officer's role\nFollow the allegations procedure",
        "5",
        "6",
    ),
    (
        "Child protection conferences",
        "writing reports for conferences and taking part in core groups",
        "Write a clear, analytical report\nContribute to a child protection plan",
        "4",
        "5",
    ),
    (
        "Learning from case reviews",
        "themes from local and national reviews and what they ask of practice",
        "Apply review findings to your own cases\nChallenge assumptions respectfully",
        "4",
        "5",
    ),
    (
        "Private fostering",
        "spotting private fostering arrangements and the duty to notify",
        "Know what counts as private fostering\nNotify the council when you should",
        "2",
        "3",
    ),
    (
        "Female genital mutilation",
        "the law, the mandatory reporting duty and talking with families",
        "Recognise when a girl may be at risk\nKnow the reporting duty and routes",
        "3",
        "4",
    ),
    (
        "Forced marriage and honour-based abuse",
        "understanding the risks and the one chance rule",
        "Recognise the risk indicators\nKnow the specialist services to involve",
        "3",
        "4",
    ),
    (
        "Safeguarding supervision",
        "reflective supervision that keeps the child at the centre",
        "Lead reflective supervision\nSupport staff through difficult cases",
        "5",
        "6",
    ),
    (
        "Early help assessment",
        "offering early help and coordinating support as lead professional",
        "Complete an early help assessment\nChair a team around the family meeting",
        "3",
        "4",
    ),
    (
        "Information sharing",
        "sharing information lawfully and confidently to protect children",
        "Apply the seven golden rules\nRecord decisions to share or not to share",
        "2",
        "3",
    ),
    (
        "Self-harm and suicidal thoughts in young people",
        "responding to self-harm and thoughts of suicide, and getting help fast",
        "Respond calmly to a disclosure\nKnow the urgent and routine routes to help",
        "3",
        "4",
    ),
    (
        "Radicalisation and the Prevent duty",
        "recognising vulnerability to radicalisation and making a Prevent referral",
        "Recognise signs of radicalisation\nKnow how to make a referral",
        "2",
        "3",
    ),
    (
        "Harmful sexual behaviour",
        "telling healthy from harmful sexual behaviour in children and responding well",
        "Use a continuum of sexual behaviour\nPlan a proportionate response",
        "3",
        "4",
    ),
    (
        "Trauma-informed practice",
        "how adversity shapes children's behaviour and how services can respond",
        "Explain the effect of trauma on development\nAdapt practice to avoid re-traumatising",
        "3",
        "4",
    ),
    (
        "Bruising in babies who are not mobile",
        "why bruising in a baby who cannot move is always a concern, and the protocol",
        "Know the protocol for bruising in non-mobile babies\nRefer without delay",
        "3",
        "4",
    ),
    (
        "Safe sleep and infant safety",
        "advice to parents on safe sleep and coping with crying",
        "Give consistent safe sleep advice\nTalk with parents about coping with crying",
        "2",
        "3",
    ),
    (
        "Children in care and care leavers",
        "the particular risks for looked-after children and care leavers",
        "Understand corporate parenting\nSupport stable placements",
        "3",
        "4",
    ),
    (
        "Young carers",
        "identifying children who care for a family member and getting them support",
        "Identify young carers\nRefer for a young carer's assessment",
        "2",
        "3",
    ),
    (
        "Talking with children about worries",
        "hearing the child's voice and recording what they say",
        "Listen without leading\nRecord the child's own words",
        "2",
        "3",
    ),
    (
        "Professional curiosity and challenge",
        "asking the next question, and escalating when agencies disagree",
        "Show professional curiosity\nUse the escalation procedure",
        "3",
        "4",
    ),
    (
        "Modern slavery and trafficking of children",
        "recognising trafficked children and the national referral mechanism",
        "Recognise indicators of trafficking\nKnow how a referral is made",
        "3",
        "4",
    ),
]

CONFERENCE_THEMES = [
    "Online safety: growing up connected",
    "Neglect: seeing the whole child",
    "Exploitation outside the home",
    "Hearing the voice of the child",
    "Domestic abuse: children are victims too",
    "Trauma and resilience",
    "Safeguarding through a pandemic",
    "Mental health and wellbeing of young people",
    "Learning from reviews: what has changed",
    "Early help: the right support at the right time",
    "Disabled children: equal protection",
    "Working with fathers",
]

PRACTICE_GROUP_TOPICS = [
    "Learning from a local case review\nThe refreshed threshold guidance",
    "Children who go missing\nReturn conversations",
    "Exploitation: the local picture",
    "Neglect: using the assessment tool",
    "The domestic abuse risk identification matrix\nSpeaking the same language",
    "Private fostering\nOnline safety",
    "Escalation when agencies disagree",
    "Young carers in our schools",
    "Bruising in babies who are not mobile",
    "Early help: what is on offer locally",
]

COMMENTS = [
    "I will check the threshold guidance before I call the front door.",
    "Speak to the child on their own and write down what they say.",
    "Share worries with the school nurse earlier.",
    "Use the risk matrix with every family where there is domestic abuse.",
    "Ask about who else lives in the house.",
    "Talk to my manager sooner when I am stuck.",
    "",
    "",
]

VENUE_KINDS = [
    ("children's centre", "Level access; baby change; parking for 20 cars."),
    ("library meeting room", "Lift to the first floor; hearing loop; town centre car park."),
    ("fire station training room", "Step-free access; free parking on site."),
]
