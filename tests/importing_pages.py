"""The real-looking news pages in tests/data/importing/, and what an import must make of them.

Each page has what saved news pages have: a cookie banner, navigation, a share bar, a
byline and date (in meta tags and in the text), links in the middle of sentences, a photo
caption, a newsletter box or "Read more" link, a related list and a footer. frog-chorus
and school-lunch also have print stylesheets, as news sites do, so the PDFs printed from
them hold the article alone; museum-bones has none, and its PDF holds the whole page.
"""

from __future__ import annotations

from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent / "data" / "importing"

FROG_BODY = (
    "Gray tree frogs living near busy roads call at a higher pitch than frogs in quiet "
    "woods, according to a study published Tuesday in the journal Urban Ecology.",
    "The researchers recorded 412 frogs at 38 ponds across the state over three spring "
    "seasons. Frogs within 200 meters of a highway called about 7 percent higher, and they "
    "called in shorter bursts.",
    "“The frogs are not simply shouting louder,” said Lena Park, a biologist at the state "
    "university who led the work. “They are shifting into a frequency band where the "
    "traffic noise is thinner.”",
    "Why pitch matters",
    "Female tree frogs choose mates by the sound of their calls, and many prefer deeper "
    "voices, which tend to come from larger males. A higher call may carry farther over the "
    "roar of trucks, but it could also make a male less attractive.",
    "Park’s team tested that idea in a field experiment. Speakers played the two kinds of "
    "calls to 60 females, and 41 of them hopped toward the deeper call, even when it was "
    "partly masked by recorded traffic.",
    "The study adds to a growing list of animals that adjust their voices to city noise. "
    "Great tits in Leiden sing higher songs near roads, and some whales lengthen their calls "
    "when ships pass.",
    "Not every scientist is convinced that the change is permanent. Tom Reyes, an ecologist "
    "who was not involved in the research, said the frogs might simply return to deeper "
    "calls if a road closed. “We need to follow the same ponds for a decade,” he said.",
    "The state transportation department has asked the team to help choose where to build "
    "new sound barriers along Route 9.",
)
FROG_TITLE = "Tree frogs change their tune as cities grow louder"

SCHOOL_BODY = (
    "LAKESIDE — Every student in the Lakeside Unified School District will be able to eat "
    "breakfast at school for free starting in August, the school board decided Monday night "
    "in a 5–2 vote.",
    "The program will cost about $1.2 million a year, and most of that will be covered by "
    "the federal Community Eligibility Provision, which lets schools in poorer areas feed "
    "all of their students without collecting applications from families.",
    "Superintendent Ana Ruiz said the change would help the roughly 3,400 students who now "
    "qualify for reduced-price meals but often skip them. “Kids can’t learn on an empty "
    "stomach,” Ruiz told the board. “This is the cheapest way we have to raise test scores.”",
    "The two board members who voted no, Carl Whitman and Deb Sutter, said they supported "
    "the goal but worried that the district would have to pay the full cost if federal "
    "rules change. Whitman pointed to a budget report from March that warned of a $4 "
    "million shortfall by 2026.",
    "Breakfast will be served in classrooms at the elementary schools, so that students who "
    "arrive on late buses do not miss it. The middle and high schools will use grab-and-go "
    "carts near the front doors.",
    "Parents at the meeting mostly cheered the decision. Maya Chen, whose two children "
    "attend Harbor Elementary, said her family had been paying about $20 a week for school "
    "breakfasts. “That’s a tank of gas,” she said.",
    "The district will hire six part-time kitchen workers to handle the extra meals, "
    "according to a staff report. The board will review the program’s cost in January.",
)
SCHOOL_TITLE = "District will serve free breakfast at every school next fall"

MUSEUM_BODY = (
    "For more than ninety years, a wooden crate marked only “R. 14” sat on a shelf in the "
    "basement of the Northern Natural History Museum. Last month a volunteer pried it open "
    "and found the skull of a young hadrosaur, a duckbilled dinosaur that lived about 75 "
    "million years ago.",
    "The crate had been shipped from Alberta in 1931 by the collector Walter Hume, the "
    "museum’s records show. Curators think it was set aside during the Great Depression, "
    "when the museum cut its staff by half, and then forgotten.",
    "“It’s every curator’s dream and every curator’s nightmare,” said Dr. Helen Ward, the "
    "museum’s head of collections. “We’re thrilled, and now we’re wondering what else is "
    "down there.”",
    "A young animal",
    "The skull is about 60 centimetres long, less than half the size of an adult’s. Its "
    "teeth show little wear, which suggests the animal died before it was two years old. "
    "Ward’s team plans to scan it at the university hospital’s CT lab this winter.",
    "The museum will put the skull on display in the spring, next to a copy of the 1931 "
    "shipping label. It has also started a count of every unopened crate in the building; "
    "so far there are 212.",
)
MUSEUM_TITLE = "Museum finds dinosaur bones in its own basement"
MUSEUM_CLOSING = (
    "The museum is open Tuesday to Sunday, and entry is free on the first Friday of each month."
)

# What `quizgen add` must make of each saved page: every paragraph, in order, exactly.
HTML_PARAGRAPHS = {
    "frog-chorus": (FROG_TITLE, *FROG_BODY),
    "school-lunch": (SCHOOL_TITLE, *SCHOOL_BODY),
    "museum-bones": (MUSEUM_TITLE, *MUSEUM_BODY, MUSEUM_CLOSING),
}
METADATA = {
    "frog-chorus": {"title": FROG_TITLE, "author": "Maria Delgado", "published": "2024-03-14"},
    "school-lunch": {
        "title": SCHOOL_TITLE,
        "author": "James O’Connor",
        "published": "2023-05-02",
    },
    # No meta tags: the byline and date come from the text ("Priya Natarajan · 9 October 2022").
    "museum-bones": {
        "title": MUSEUM_TITLE,
        "author": "Priya Natarajan",
        "published": "2022-10-09",
    },
}
# Printed with the print stylesheet, and with the browser's own date, title, address and
# page numbers in the margins: the byline and dateline are part of the printed article.
PDF_PARAGRAPHS = {
    "frog-chorus": (
        FROG_TITLE,
        "By Maria Delgado, Science Reporter",
        "March 14, 2024",
        *FROG_BODY,
    ),
    "school-lunch": (
        SCHOOL_TITLE,
        "By James O’Connor · Published May 2, 2023 · Updated May 3, 2023",
        *SCHOOL_BODY,
    ),
}
BODY = {"frog-chorus": FROG_BODY, "school-lunch": SCHOOL_BODY, "museum-bones": MUSEUM_BODY}

# Lines of the pages that are not the article: none may be left in an imported one.
BOILERPLATE = (
    "cookie",
    "Accept all",
    "Skip to main content",
    "Share This Story",
    "Share on",
    "Facebook",
    "Tweet",
    "Pin it",
    "Copy link",
    "Subscribe",
    "Sign up",
    "newsletter",
    "Advertisement",
    "Related",
    "Most popular",
    "More from Science",
    "You May Also Like",
    "READ MORE",
    "Board cuts three bus routes",
    "Bats in the old mill",
    "Comet visible",
    "Photo by",
    "padded tray",
    "All rights reserved",
    "Privacy",
    "Terms",
    "Contact",
    "©",
    "Tags:",
    "E-Edition",
    "scorecardresearch",
    "Have a story tip",
    "file:///",
    "1/1",
    "1/2",
    "2/2",
    "| The Valley Courier",
    "- Lakeside Daily News",
)
