"""Text as search compares it: the same for what is stored and for what people type.

Case and accents do not matter to someone looking for a partner ("lodz" is Łódź, "белорусский"
is "Белорусский"), and neither SQLite (whose LIKE folds ASCII only) nor PostgreSQL without
unaccent folds them the same way. So both sides are folded here, in Python, and the database
compares plain folded strings with LIKE.
"""

import unicodedata

# Letters that are letters of their own, not a base letter with a mark, so NFKD leaves them as
# they are. Only lower-case forms: the text is casefolded first.
_SPECIAL_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
    }
)


def fold_for_search(text: str) -> str:
    """Casefolded ("ß" becomes "ss"), without accents and marks, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_SPECIAL_LETTERS).split())


def search_words(query: str) -> list[str]:
    """The folded words of a query, each of which must be found."""
    return fold_for_search(query).split()
