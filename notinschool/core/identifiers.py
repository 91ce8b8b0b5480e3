"""Check characters of the numbers people carry: an NHS number's modulus 11 check digit and a
unique pupil number's check letter. A number that fails its check was mistyped somewhere; it
is still the sender's, but it cannot be trusted to say who a record is.

NHS number: ten digits; the first nine weighted 10 down to 2, summed; 11 less the remainder
on division by 11 is the tenth digit (11 is written 0; a remainder that would need 10 is never
issued). Any one digit changed, or two neighbours swapped, fails the check.

Unique pupil number (the DfE's format): a check letter, then twelve characters: three digits of
the local authority, four of the school, two of the year, and three more digits (a permanent
UPN) or two digits and a letter (a temporary UPN). The twelve are weighted 2 to 13 by their
position in the number, a temporary UPN's letter counting as its place in the alphabet of 23
letters below (A is 0); the sum's remainder on division by 23 is the check letter's place."""

UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"  # no I, O or S


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None where no number can be issued with them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return None if check == 10 else check % 11


def nhs_number_valid(number: str) -> bool:
    """Ten digits whose last is the check digit of the nine before it."""
    return (len(number) == 10 and number.isascii() and number.isdigit()
            and nhs_check_digit(number[:9]) == int(number[9]))


def upn_check_letter(twelve: str) -> str | None:
    """The check letter for the twelve characters after it (the last may be a temporary UPN's
    letter), or None where they are not in the UPN's form."""
    if len(twelve) != 12 or not twelve.isascii() or not twelve[:11].isdigit():
        return None
    last = twelve[11]
    if last.isdigit():
        value = int(last)
    elif last in UPN_ALPHABET:
        value = UPN_ALPHABET.index(last)
    else:
        return None
    total = sum(int(d) * w for d, w in zip(twelve[:11], range(2, 13), strict=True)) + value * 13
    return UPN_ALPHABET[total % 23]


def upn_valid(upn: str) -> bool:
    """Thirteen characters (upper case) whose first is the check letter of the rest."""
    return len(upn) == 13 and upn_check_letter(upn[1:]) == upn[0]


def upn_temporary(upn: str) -> bool:
    """A temporary UPN ends in a letter: a school gives one until the permanent one is known."""
    return len(upn) == 13 and upn[12].isalpha()


def numbers_near(a: str, b: str) -> bool:
    """Two numbers of one kind (NHS numbers, or UPNs) one slip apart: before their check
    character (the last digit of an NHS number, the first letter of a UPN), one character is
    different or two neighbours are exchanged. Each can be valid, since the check character
    then differs too: a number mistyped into another that passes its check. Such a pair is
    weak evidence of two people, never proof (the matching engine's "one digit apart")."""
    if len(a) != len(b) or len(a) not in (10, 13) or a == b:
        return False
    body_a, body_b = (a[:9], b[:9]) if len(a) == 10 else (a[1:], b[1:])
    diff = [i for i, (x, y) in enumerate(zip(body_a, body_b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    return (len(diff) == 2 and diff[1] == diff[0] + 1
            and body_a[diff[0]] == body_b[diff[1]] and body_a[diff[1]] == body_b[diff[0]])
