"""Offices: the role a "who" question asks about, and whether a named person holds another.

"What is the name of the Indian foreign minister who went to the summit?" asks for a foreign
minister; "Prime Minister Narendra Modi" in a sentence about the summit is a person of the right
type with the wrong office. A candidate whose own title (the words before the name, or the
noun it stands in apposition to: "the CEO and president of Maersk, John Reinhart") names an
office, none of which is the asked one, does not answer. A generic role ("leader", "official",
"man") asks for no particular office, and a name with no title says nothing either way.
"""

# specific offices: an asked one must be among the candidate's titles
OFFICES = {
    "president", "premier", "minister", "chancellor", "king", "queen", "prince", "princess",
    "secretary", "governor", "mayor", "senator", "ceo", "captain", "pilot", "coach",
    "chairman", "chairwoman", "chair", "spokesman", "spokeswoman", "spokesperson",
    "ambassador", "envoy", "commander", "judge", "prosecutor", "pope", "bishop", "director",
    "emir", "sultan", "sheikh", "archbishop", "speaker", "executive", "mate", "officer",
    "lieutenant", "colonel", "admiral", "sergeant", "editor", "manager", "treasurer",
    "justice",
}  # fmt: skip
# words that tell offices of one kind apart: a "foreign minister" is no "prime minister"
MODIFIERS = {
    "foreign", "prime", "vice", "deputy", "finance", "defence", "defense", "interior", "general",
}  # fmt: skip
_SAME = {
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
    "chairwoman": "chairman",
    "chair": "chairman",
    "premier": "prime",
    "ceo": "executive",
}
_OFFICE_WORDS = {_SAME.get(w, w) for w in OFFICES}  # offices as `_word` spells them
_TITLE_WORDS = OFFICES | MODIFIERS  # what a title written before a name is made of


def asked_role(doc, focus) -> list[str]:
    """The office a person question asks about, with the words that tell it apart ("foreign
    minister" -> ["foreign", "minister"]); [] for none or a generic role."""
    head = focus if focus is not None else _who_is(doc)
    if head is not None and _word(head) == "general":  # "secretary general": the secretary
        head = next((c for c in head.children if c.dep_ == "compound"), head)
    if head is None or _word(head) not in OFFICES:
        return []
    words = [c for c in head.children if c.dep_ in ("amod", "compound") and c.i < head.i]
    return [_word(t) for t in words if _word(t) in MODIFIERS] + [_word(head)]


def asked_body(doc, focus) -> list[str]:
    """Whose office the question asks about, as `_body_keys` spells it: "the secretary general
    of the CSTO", "the CSTO's secretary general" -> ["csto"]; [] when it names none."""
    head = focus if focus is not None else _who_is(doc)
    if head is None:
        return []
    tokens = []
    for child in head.children:
        named = child.dep_ == "poss" or child.dep_ == "compound" and child.pos_ == "PROPN"
        if named or child.dep_ == "prep" and child.lower_ == "of":
            tokens += [t for t in child.subtree if t.ent_type_ not in _NOT_BODIES]
    return sorted(_body_keys(tokens))


def title_clash(entity, role: list[str], body: list[str] = ()) -> bool:
    """Whether the person `entity` is titled with offices none of which is the asked `role`
    (or with the asked office of another kind: "Prime Minister" for "foreign minister", or of
    another body: "U.N. Secretary-General" for "the secretary general of the CSTO")."""
    titles = _titles(entity)
    offices = titles & _OFFICE_WORDS
    if not role or not offices:
        return False
    if role[-1] not in offices:
        return True
    kinds = titles & MODIFIERS
    if kinds and not set(role[:-1]) <= kinds:
        return True
    held = _title_body(entity)
    return bool(body and held) and held.isdisjoint(body)


def role_unsaid(entity, role: list[str]) -> bool:
    """Whether the person's sentence never names the asked office: "Mokhber added that ..."
    says nothing of who is the CSTO's secretary general."""
    return bool(role) and all(_word(t) != role[-1] for t in entity.sent)


def titled_as_named(entity, question) -> bool:
    """Whether the person is titled with an office by which the (parsed) question refers to
    someone other than the one asked for: "Mayor Itō" for "Who was arrested after Nagasaki's
    mayor was shot?" is that mayor. "Vice President X" is no "the president", and "made him
    acting president" describes the asked one, it refers to no one."""
    title = {_word(t) for t in _title_before(entity) if t.is_alpha}
    return bool(title) and title <= _referring_words(question)


def _referring_words(question) -> set[str]:
    """The words of the question's noun phrases that refer to someone ("the mayor",
    "Nagasaki's mayor", "the foreign minister"): a head with a determiner or a possessor, and
    the words qualifying it; not the office "Who is the ...?" asks about."""
    words = set()
    for noun in (t for t in question if t.pos_ == "NOUN"):
        if noun.head.lemma_ == "be" and noun.dep_ in ("attr", "nsubj"):
            continue  # "Who is the U.N. secretary general?": the one asked for
        if any(c.dep_ in ("det", "poss") for c in noun.children):
            words |= {_word(t) for t in noun.children if t.dep_ in ("amod", "compound")}
            words.add(_word(noun))
    return words


def _title_body(entity) -> set[str]:
    """The body named with the person's title: "U.N." in "U.N. Secretary-General António
    Guterres", "Europe-Uzbekistan Association ..." in "Shaykhov, secretary general of the
    Europe-Uzbekistan Association ..."."""
    doc, title = entity.doc, _title_before(entity)
    i, tokens = entity.start - 1 - len(title), []
    if title:
        while i >= 0 and doc[i].pos_ == "PROPN":
            tokens.append(doc[i])
            i -= 1
    for noun in [c for c in entity.root.children if c.dep_ == "appos"]:
        tokens += [t for c in noun.children if c.dep_ == "prep" for t in c.subtree]
    return _body_keys([t for t in tokens if t.ent_type_ not in _NOT_BODIES])


# a person's office ("Putin's spokesman") is no body's, and a country's is `app.nations`' to
# tell apart ("Kazakh President" for "Kazakhstan's president")
_NOT_BODIES = {"PERSON", "GPE", "NORP"}


def _body_keys(tokens) -> set[str]:
    """The capitalised words of a body's name without dots, and their initials ("U.N." -> un;
    "Collective Security Treaty Organization" -> collective, ..., csto)."""
    words = [t.text.replace(".", "").lower() for t in tokens if t.text[:1].isupper()]
    words = [w for w in words if w]
    initials = "".join(w[0] for w in words) if len(words) > 1 else ""
    return {*words, initials} - {""}


def _titles(entity) -> set[str]:
    """The office words written before the name, or in apposition to it."""
    words = _title_before(entity)
    root = entity.root
    nouns = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        nouns.append(_office_of(root.head))
    for noun in nouns:
        words += [
            noun,
            *noun.conjuncts,
            *(c for c in noun.children if c.dep_ in ("amod", "compound")),
        ]
    return {_word(t) for t in words}


def _title_before(entity) -> list:
    """The title's tokens written right before the name, nearest first ("Secretary", "-",
    "General" in "U.N. Secretary-General António Guterres")."""
    doc, i, title = entity.doc, entity.start - 1, []
    while i >= 0 and (_word(doc[i]) in _TITLE_WORDS or doc[i].text in "-‐"):
        title.append(doc[i])
        i -= 1
    return title


def _office_of(noun):
    """The office a name stands in apposition to: "president" in "the president of Maersk,
    John Reinhart", where the parser attaches the name to "Maersk"."""
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "NOUN":
        noun = noun.head.head
    return noun


def _who_is(doc):
    """The noun of "Who is/was/became the N ...?" ("spokesman" in "Who was Putin's
    spokesman?", "Justice" in "Who became acting Chief Justice?")."""
    wh = next((t for t in doc if t.lower_ == "who"), None)
    if wh is None or wh.head.lemma_ not in ("be", "become"):
        return None
    return next(
        (
            t
            for t in wh.head.children
            if t.dep_ in ("attr", "nsubj") and t != wh and _an_office_noun(t)
        ),
        None,
    )


def _an_office_noun(token) -> bool:
    """A common noun, or an office written with a capital ("Chief Justice", "President")."""
    return token.pos_ == "NOUN" or token.pos_ == "PROPN" and _word(token) in OFFICES


def _word(token) -> str:
    word = token.lemma_.lower()
    return _SAME.get(word, word)
