"""Synthetic GP and health visiting extracts with the problems real ones have, and the truth.

Children live in households (some with brothers and sisters, some twins or triplets). Each child is
on both lists, on the GP list only or on the health visiting list only, and each record is
written with the mistakes seen in practice: NHS numbers missing or mistyped, nicknames and
transliterated spellings, changed and double-barrelled surnames, day and month transposed, near
dates, moves between addresses (most within the locality, whose postcode districts share one
postcode area), second GP registrations, and mixed formats (dd/mm/yyyy and ISO
dates, sex as words, NHS numbers with spaces, postcodes without a space). NHS numbers come only
from the 999 test range. truth.csv says which records are which child.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .extracts import COLUMNS, nhs_check_digit
from .names import variant_groups


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


BOYS = _words(
    "Oliver Jack Harry Jacob Charlie Thomas George Oscar James William Noah Alfie Joshua Muhammad "
    "Henry Leo Archie Ethan Joseph Freddie Samuel Alexander Logan Daniel Isaac Max Mohammed "
    "Benjamin Mason Lucas Edward Harrison Jake Dylan Riley Finley Theo Sebastian Adam Zachary "
    "Arthur Toby Jayden Luke Harley Lewis Tyler Harvey Matthew David Reuben Michael Elijah Kian "
    "Tommy Mohammad Blake Luca Jenson Nathan Ibrahim Ali Omar Yusuf Hassan Hussain Amir Gabriel "
    "Patrick Robert Stephen Christopher Nicholas Anthony Frederick Louis Jonathan Cameron Kacper "
    "Jakub Filip Szymon Mateusz Olusegun Chinedu Kwame Tariq Bilal Ayaan Arjun Rohan Vihaan Jose"
)
GIRLS = _words(
    "Amelia Olivia Isla Emily Poppy Ava Isabella Jessica Lily Sophie Grace Sophia Mia Evie Ruby "
    "Ella Scarlett Isabelle Chloe Sienna Freya Phoebe Charlotte Daisy Alice Florence Eva Sofia "
    "Millie Lucy Evelyn Elsie Rosie Imogen Lola Matilda Elizabeth Layla Holly Lilly Molly Erin "
    "Ellie Maisie Maya Abigail Eliza Georgia Jasmine Esme Willow Bella Annabelle Ivy Amber Emilia "
    "Emma Summer Hannah Eleanor Harriet Rose Amelie Lexi Megan Gracie Zara Lacey Martha Anna "
    "Violet Darcey Maria Maryam Aisha Fatima Zainab Khadija Yasmin Hafsa Amira Leila Zoë Chloé "
    "Zuzanna Julia Maja Oliwia Ayesha Priya Ananya Adaeze Chioma Amara Rebecca Victoria Catherine"
)
SURNAMES = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
    "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook "
    "Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall "
    "Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray "
    "Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler "
    "Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher "
    "Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce "
    "Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien "
    "Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman "
    "Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone "
    "Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird "
    "Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson "
    "Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates "
    "Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers "
    "Nowak Kowalski Wisniewski Nguyen Tran Okafor Adeyemi Mensah Chowdhury Rahman Uddin Miah "
    "Mahmood Iqbal Akhtar Malik Hassan Yilmaz Kaya Popescu Ionescu Horvath Kovacs Silva Santos"
)
_SYLLABLES_A = _words(
    "Ash Brad Carl Dun Fair Hal Mar Wood Ather Black Brom Cald Cran Eld Fen Gar Hart"
)
_SYLLABLES_A += _words("Kirk Lang Med Nor Pen Rad Sel Thorn Wel Wes Whit Win Ald Bram Chal Dal Eas")
_SYLLABLES_B = _words("ford ley ton well by wick combe ham more field stead worth dale hurst bury")
_SYLLABLES_B += _words("croft den gate holt ridge shaw thwaite wood brook lock mere")
_GIVEN_A = _words("Ka Re Ta Mi Lo Sa Na Ze Ja Ri Da Ko Vi Ay Ne Li Ro Sha El Ar")
_GIVEN_B = _words("lia ren vin dan mira sha nel ya ris zo lan ven ka tan bel rin")
STREETS = _words(
    "High Street|Church Road|Station Road|Victoria Road|Green Lane|Manor Road|Park Road|Mill Lane|"
    "Queens Road|Kings Road|New Road|The Crescent|School Lane|Oak Avenue|Elm Close|Willow Way|"
    "Orchard Drive|Meadow View|Chapel Street|North Street|Springfield Road|Grange Road|"
    "Windsor Road|Albert Road|York Road|Mount Pleasant|Highfield Road|Cedar Grove|Beech Drive",
    "|",
)
# Postcode areas (the letters of an outward code). A locality's districts share one area, as real
# districts near one another do, so a move within a locality keeps the area.
AREAS = _words(
    "AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY EH "
    "EN EX FK FY GL GU HA HD HG HP HR HU HX IP KA KT KY L LA LD LE LL LN LS LU M ME MK ML N NE NG "
    "NN NP NR OL OX PE PH PL PO PR RG RH RM S SA SG SK SL SN SO SP SR SS ST SY TA TD TF TN TQ TR "
    "TS UB WA WD WF WN WR WS WV YO"
)
# Most families with young children who move stay near: this share of moves (and of second GP
# registrations at another address) stays in the same locality; the rest go anywhere.
LOCAL_MOVES = 0.75

REFERENCE_DATE = datetime.date(2014, 3, 31)
SIBLING_GAP_DAYS = 300
VALID_999_NUMBERS = 909_091  # 999 + 6 digits with a valid modulus 11 check digit


def _zipf_picker(items: list[str], rng: random.Random, s: float = 1.0) -> Callable[[], str]:
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** s for rank in range(len(items))))
    total = cumulative[-1]
    return lambda: items[bisect.bisect_left(cumulative, rng.random() * total)]


def _nhs_numbers(rng: random.Random):
    """Unique valid NHS numbers from the 999 test range, in random order."""
    bodies = list(range(1_000_000))
    rng.shuffle(bodies)
    for body in bodies:
        first_nine = f"999{body:06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            yield f"{first_nine}{check}"


@dataclass(slots=True)
class Household:
    family_name: str
    address: str
    postcode: str
    locality: int


@dataclass(slots=True)
class Child:
    child_id: int
    given_name: str
    family_name: str
    sex: str
    dob: datetime.date
    nhs_number: str | None
    home: Household
    multiple_birth: str  # household/birth key for twins and triplets, else ""


class Generator:
    def __init__(
        self,
        children: int,
        seed: int,
        as_of: datetime.date = REFERENCE_DATE,
        local_moves: float = LOCAL_MOVES,
    ):
        self.n = children
        self.local_moves = local_moves
        self.rng = random.Random(seed)
        self.as_of = as_of
        rng = self.rng
        tail_given = sorted({a + b for a in _GIVEN_A for b in _GIVEN_B})
        tail_family = sorted({a + b for a in _SYLLABLES_A for b in _SYLLABLES_B})
        tail_family += sorted({a + b.lower() for a in _SYLLABLES_A for b in _SYLLABLES_A if a != b})
        self.pick_boy = _zipf_picker(BOYS, rng, 0.7)
        self.pick_girl = _zipf_picker(GIRLS, rng, 0.7)
        self.pick_tail_given = _zipf_picker(tail_given, rng, 0.3)
        self.pick_surname = _zipf_picker(SURNAMES, rng, 0.8)
        self.pick_tail_family = _zipf_picker(tail_family, rng, 0.2)
        self.groups = variant_groups()
        self.variants: dict[str, list[str]] = {}
        for name, keys in self.groups.items():
            for key in keys:
                self.variants.setdefault(key, []).append(name)
        # Localities, each with outward codes, GP practices and a health visiting team.
        self.localities = max(3, min(40, children // 2500))
        districts = max(2, children // 4000 // self.localities + 2)
        self.outward = [
            [f"{area}{number}" for number in sorted(rng.sample(range(1, 41), districts))]
            for area in rng.sample(AREAS, self.localities)
        ]
        practices = max(self.localities, children // 1500)
        self.practices = [
            [
                f"{chr(65 + (loc % 26))}{84000 + loc * 100 + k:05d}"
                for k in range(practices // self.localities + 1)
            ]
            for loc in range(self.localities)
        ]
        self.teams = [f"HV team {loc + 1:02d}" for loc in range(self.localities)]
        self.nhs = _nhs_numbers(rng)
        self.nhs_left = VALID_999_NUMBERS

    # --- people ---------------------------------------------------------------------------

    def given_name(self, sex: str) -> str:
        if self.rng.random() < 0.25:
            return self.pick_tail_given()
        return self.pick_boy() if sex == "M" else self.pick_girl()

    def family_name(self) -> str:
        if self.rng.random() < 0.55:
            return self.pick_tail_family()
        return self.pick_surname()

    def household(self, family: str | None = None, near: Household | None = None) -> Household:
        """A new home; near another home, in its locality with the share of local moves."""
        rng = self.rng
        if near is not None and rng.random() < self.local_moves:
            locality = near.locality
        else:
            locality = rng.randrange(self.localities)
        outward = rng.choice(self.outward[locality])
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        inward = f"{rng.randint(0, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        address = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
        return Household(family or self.family_name(), address, f"{outward} {inward}", locality)

    def dob(self) -> datetime.date:
        return self.as_of - datetime.timedelta(days=self.rng.randint(0, 5 * 365 - 1))

    def nhs_number(self) -> str | None:
        # Some children have never had an NHS number (new arrivals, visitors, new babies).
        if self.rng.random() < 0.08 or self.nhs_left <= 0:
            return None
        self.nhs_left -= 1
        return next(self.nhs)

    def children(self):
        self.made = 0
        rng = self.rng
        while self.made < self.n:
            home = self.household()
            births = 1 + (rng.random() < 0.35) + (rng.random() < 0.12)
            born: list[datetime.date] = []
            for _ in range(births):
                if self.made >= self.n:
                    break
                roll = rng.random()
                size = 3 if roll < 0.0004 else 2 if roll < 0.0125 else 1
                dob = self.dob()
                # Brothers and sisters of different births are born at least ten months apart.
                while any(abs((dob - other).days) < SIBLING_GAP_DAYS for other in born):
                    dob = self.dob()
                born.append(dob)
                key = f"B{self.made}" if size > 1 else ""
                names: set[str] = set()
                for _ in range(min(size, self.n - self.made)):
                    sex = rng.choice("MF")
                    name = self.given_name(sex)
                    while name in names or set(self.groups.get(name.upper(), ())) & {
                        k for n in names for k in self.groups.get(n.upper(), ())
                    }:
                        name = self.given_name(sex)
                    names.add(name)
                    yield Child(
                        self.made, name, home.family_name, sex, dob, self.nhs_number(), home, key
                    )
                    self.made += 1

    # --- mistakes -------------------------------------------------------------------------

    def typo(self, word: str) -> str:
        if len(word) < 4:
            return word
        rng = self.rng
        i = rng.randrange(1, len(word) - 1)
        if rng.random() < 0.5:
            return word[:i] + word[i + 1 :]
        return word[:i] + rng.choice("aeiourstn") + word[i + 1 :]

    def variant(self, given: str) -> str:
        keys = self.groups.get(given.upper())
        if not keys:
            return given
        options = [v for k in keys for v in self.variants[k] if v != given.upper()]
        return self.rng.choice(options).title() if options else given

    def mistype_nhs(self, number: str) -> str:
        digits = list(number)
        i = self.rng.randrange(3, 9)
        if self.rng.random() < 0.5:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
        else:
            digits[i] = str((int(digits[i]) + self.rng.randint(1, 9)) % 10)
        return "".join(digits)

    def record(self, child: Child, kind: str, home: Household) -> dict[str, str]:
        rng = self.rng
        nhs = child.nhs_number
        if nhs and rng.random() < (0.04 if kind == "gp" else 0.07):
            nhs = None
        elif nhs and rng.random() < 0.015:
            nhs = self.mistype_nhs(nhs)
        given, family, dob, sex = child.given_name, home.family_name, child.dob, child.sex
        if rng.random() < 0.06:
            given = self.variant(given)
        if rng.random() < 0.015:
            given = self.typo(given)
        if rng.random() < 0.015:
            family = self.typo(family)
        if rng.random() < 0.01 and dob.day <= 12 and dob.day != dob.month:
            dob = datetime.date(dob.year, dob.day, dob.month)
        elif rng.random() < 0.008:
            dob = min(dob + datetime.timedelta(days=rng.choice([-3, -2, -1, 1, 2, 3])), self.as_of)
        if rng.random() < 0.01:
            sex = rng.choice(["U", ""])
        postcode = home.postcode
        style = rng.random()
        if style < 0.1:
            postcode = postcode.replace(" ", "").lower()
        practice = rng.choice(self.practices[home.locality])
        row = {
            "nhs_number": ""
            if not nhs
            else (f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}" if style < 0.3 else nhs),
            "given_name": given,
            "family_name": family,
            "date_of_birth": dob.strftime("%d/%m/%Y") if style > 0.6 else dob.isoformat(),
            "sex": {"M": "Male", "F": "Female", "U": "Unknown"}.get(sex, "")
            if style > 0.85
            else sex,
            "postcode": postcode,
            "address_line": home.address,
        }
        if kind == "gp":
            row["gp_practice_code"] = practice
        else:
            row["hv_team"] = self.teams[home.locality]
        return row


def generate(
    children: int,
    seed: int,
    out_dir,
    *,
    as_of: datetime.date = REFERENCE_DATE,
    progress: Callable[[int], None] | None = None,
    local_moves: float = LOCAL_MOVES,
) -> dict[str, int]:
    """Write gp_extract.csv, hv_extract.csv and truth.csv to out_dir; return counts."""
    if children < 1:
        raise ValueError("children must be at least 1")
    # About 8% of children never had a number; beyond ~990k children the range runs out and the
    # rest go without one too (at 1M, about 9% have none).
    limit = 1_100_000
    if children > limit:
        raise ValueError(
            f"At most {limit:,} children: the 999 test range holds {VALID_999_NUMBERS:,} valid "
            "NHS numbers."
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(children, seed, as_of, local_moves)
    rng = gen.rng
    gp_rows: list[tuple[dict[str, str], int, str, bool]] = []
    hv_rows: list[tuple[dict[str, str], int, str, bool]] = []
    counts = dict.fromkeys(
        ["children", "both", "gp_only", "hv_only", "twins", "duplicates", "moved", "renamed"], 0
    )
    for child in gen.children():
        counts["children"] += 1
        counts["twins"] += bool(child.multiple_birth)
        roll = rng.random()
        lists = "both" if roll < 0.87 else "gp_only" if roll < 0.95 else "hv_only"
        counts[lists] += 1
        gp_home = hv_home = child.home
        if lists == "both":
            if rng.random() < 0.08:  # moved: one list still has the old address
                counts["moved"] += 1
                moved = gen.household(child.home.family_name, near=child.home)
                gp_home, hv_home = (
                    (moved, child.home) if rng.random() < 0.5 else (child.home, moved)
                )
            change = rng.random()
            if change < 0.025:  # surname changed (separation, adoption, mother's name)
                counts["renamed"] += 1
                new = Household(
                    gen.family_name(), hv_home.address, hv_home.postcode, hv_home.locality
                )
                hv_home = new
            elif change < 0.05:  # double-barrelled on one list only
                counts["renamed"] += 1
                other = gen.family_name()
                joined = f"{child.home.family_name}-{other}"
                home = gp_home if rng.random() < 0.5 else hv_home
                new = Household(joined, home.address, home.postcode, home.locality)
                if home is gp_home:
                    gp_home = new
                else:
                    hv_home = new
        if lists in ("both", "gp_only"):
            gp_rows.append(
                (gen.record(child, "gp", gp_home), child.child_id, child.multiple_birth, False)
            )
            if rng.random() < 0.01:  # a second registration at another practice
                counts["duplicates"] += 1
                dup_home = (
                    gen.household(gp_home.family_name, near=gp_home)
                    if rng.random() < 0.5
                    else gp_home
                )
                row = gen.record(child, "gp", dup_home)
                if rng.random() < 0.5:
                    row["nhs_number"] = ""
                gp_rows.append((row, child.child_id, child.multiple_birth, True))
        if lists in ("both", "hv_only"):
            hv_rows.append(
                (gen.record(child, "hv", hv_home), child.child_id, child.multiple_birth, False)
            )
        if progress and counts["children"] % 10_000 == 0:
            progress(10_000)
    with (out / "truth.csv").open("w", newline="", encoding="utf-8") as truth_file:
        truth = csv.writer(truth_file)
        truth.writerow(["list", "record_id", "child_id", "multiple_birth", "duplicate"])
        for kind, rows, prefix in (("gp", gp_rows, "G"), ("hv", hv_rows, "H")):
            rng.shuffle(rows)
            ids = rng.sample(range(1, len(rows) * 3 + 1), len(rows))
            with (out / f"{kind}_extract.csv").open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS[kind])
                writer.writeheader()
                for (row, child_id, birth, dup), number in zip(rows, ids, strict=True):
                    record_id = f"{prefix}{number:08d}"
                    writer.writerow({"record_id": record_id, **row})
                    truth.writerow([kind, record_id, child_id, birth, int(dup)])
    counts["gp_records"] = len(gp_rows)
    counts["hv_records"] = len(hv_rows)
    return counts
