"""Near-duplicate grouping on many texts: boilerplate is not a copy, and a story syndicated past
the posting-list cap still joins its original."""

from app import synthetic
from retrieval.duplicates import MAX_POSTINGS, duplicate_groups

BOILERPLATE = (
    "Sign up for our newsletter to get the day's top stories delivered to your inbox every "
    "morning, and follow us on social media for breaking news as it happens around the world."
)


def test_shared_boilerplate_makes_no_group_and_every_copy_finds_its_original():
    passages = synthetic.passages(3 * MAX_POSTINGS)
    stories = [
        f"{next(passages)}\n\n{next(passages)}\n\n{BOILERPLATE}" for _ in range(MAX_POSTINGS)
    ]
    syndicated = stories[0].replace("Sign up", "Subscribe")
    texts = [(f"s{n:03d}", text) for n, text in enumerate(stories)]
    texts += [(f"t{n:03d}", f"Wire copy {n}.\n\n{syndicated}") for n in range(MAX_POSTINGS + 10)]
    groups = duplicate_groups(texts)
    copies = [f"t{n:03d}" for n in range(MAX_POSTINGS + 10)]
    assert groups == [["s000", *copies]]
