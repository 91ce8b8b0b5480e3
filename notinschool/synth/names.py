"""Name tables for synthetic people: invented combinations, no real records.

Each ethnic group has forenames by sex and surnames. The tables are fixed (not seeded), so the
same seed always draws the same names.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# group -> (female forenames, male forenames, surnames, census ethnicity codes)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "white_british": (
        _words(
            "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Florence Willow "
            "Poppy Evie Ella Emily Charlotte Harper Daisy Phoebe Sienna Rosie Ruby Matilda Elsie "
            "Millie Jessica Katherine Elizabeth Abigail Eleanor Rebecca Hannah Lucy Chloe Megan "
            "Holly Amy Zoë Bethany Lauren Summer Scarlett Imogen Alice Maisie Harriet Esme"
        ),
        _words(
            "Oliver George Noah Arthur Leo Harry Oscar Archie Jack Henry Charlie Freddie Theo "
            "Thomas Alfie Jacob William Alexander James Joshua Samuel Benjamin Daniel Joseph "
            "Edward Frederick Matthew Christopher Lewis Ethan Riley Mason Dylan Kai Reuben Toby "
            "Max Harrison Luke Callum Jamie Connor Kieran Owen Tyler Nathan Zachary Alfred Stanley"
        ),
        _words(
            "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
            "Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Hill "
            "Moore Cooper Harris Ward Martin King Lee Baker Harrison Morris Clark James Morgan "
            "Allen Mitchell Young Scott Phillips Watson Shaw Parker Bennett Cook Bell Marshall "
            "Lloyd Kelly Price Barnes Fisher Holmes Atkinson Pearson Dixon Hunt Mason Chapman "
            "Ellis Foster Webb Rogers Gray Palmer Stevens Lawrence Butler Saunders Simpson "
            "Fletcher Dawson Bradley Heaton Lowe Sutcliffe Whitehead Ackroyd Pickering Hargreaves "
            "Greenwood Crowther Brearley Holroyd Barraclough Ramsden"
        ),
        ("WBRI",),
    ),
    "irish": (
        _words("Siobhán Aoife Niamh Ciara Saoirse Róisín Orla Caoimhe Aisling Sinéad Mary Clodagh"),
        _words("Seán Ciarán Patrick Liam Conor Oisín Cian Darragh Eoin Declan Padraig Rory"),
        _words(
            "Murphy O'Brien O'Connor Byrne Ryan O'Neill Walsh Kennedy Doyle McCarthy Gallagher "
            "Fitzgerald Quinn O'Sullivan Brennan Donnelly"
        ),
        ("WIRI",),
    ),
    "irish_traveller": (
        _words("Bridget Mary Margaret Kathleen Nora Ellen Winnie Josie Chelsea Shannon Roseanne"),
        _words("Patrick Michael Johnny Martin John Thomas Jimmy Francie Willie Christopher Tom"),
        _words(
            "McDonagh Ward Joyce Maughan Connors McGinley Doherty Sherlock Stokes Cash Delaney "
            "Keenan Furey Mongan"
        ),
        ("WIRT",),
    ),
    "south_asian": (
        _words(
            "Aisha Fatima Maryam Zara Amira Hafsa Khadija Inaya Aaliyah Ayesha Zainab Anaya "
            "Priya Simran Harleen Jasleen Noor Sana Iqra Alisha Mariam Safiya"
        ),
        _words(
            "Muhammad Mohammed Ibrahim Yusuf Ayaan Zayn Adam Hamza Ali Omar Abdullah Bilal "
            "Zakariya Arjun Aarav Rohan Harjot Gurpreet Rayan Hassan Imran Haris"
        ),
        _words(
            "Khan Ahmed Hussain Ali Begum Rahman Iqbal Akhtar Shah Mahmood Patel Sharma Singh "
            "Kaur Mistry Chaudhry Rashid Malik Aziz Islam Uddin Miah Choudhury Qureshi Sandhu"
        ),
        ("APKN", "APKN", "ABAN", "AIND", "AOTH"),
    ),
    "black_african": (
        _words(
            "Amara Zainab Chioma Adaeze Ifeoma Esther Blessing Favour Precious Nia Abena Ama "
            "Fatoumata Aminata Hodan Sagal Deborah Grace"
        ),
        _words(
            "Chidi Emeka Oluwaseun Tobi David Daniel Samuel Kwame Kofi Musa Abdi Mohamed "
            "Ebenezer Tunde Kelechi Olumide Joshua Emmanuel"
        ),
        _words(
            "Okafor Adeyemi Mensah Osei Boateng Okoye Adebayo Nwosu Eze Ibrahim Abdi Mohamud "
            "Diallo Kamara Owusu Asante Ogunleye Balogun"
        ),
        ("BAFR",),
    ),
    "black_caribbean": (
        _words("Shanice Tiana Jada Kiara Aaliyah Jasmine Chantelle Nadia Keisha Tanisha Maya"),
        _words("Jerome Tyrone Marcus Jermaine Dwayne Andre Jaden Malachi Isaiah Kyle Elijah"),
        _words(
            "Campbell Brown Williams Thomas Francis Grant Reid Bailey Clarke Henry Morgan "
            "Richards Edwards Johnson Powell Lewis"
        ),
        ("BCRB",),
    ),
    "eastern_european": (
        _words(
            "Zuzanna Julia Zofia Maja Hanna Lena Oliwia Alicja Natalia Wiktoria Amelia Ioana "
            "Andreea Elena Daria Anastasia Sofia Agnieszka Katarzyna Małgorzata"
        ),
        _words(
            "Jakub Antoni Szymon Filip Kacper Jan Aleksander Mikołaj Wojciech Łukasz Andrei "
            "Mihai Ionuț Vlad Tomas Lukas Matas Dominik Marek Piotr"
        ),
        _words(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
            "Szymański Woźniak Popescu Ionescu Popa Stan Dumitru Kazlauskas Jankauskas "
            "Petrauskas Horváth Novák Dvořák Baranowski"
        ),
        ("WOTH", "WOTH", "WROM"),
    ),
}

# Mixed-heritage families draw a forename from either table of the pair.
MIXED: dict[str, tuple[str, str, str]] = {
    "mixed_white_black_caribbean": ("white_british", "black_caribbean", "MWBC"),
    "mixed_white_black_african": ("white_british", "black_african", "MWBA"),
    "mixed_white_asian": ("white_british", "south_asian", "MWAS"),
}

GROUP_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("white_british", 640),
    ("south_asian", 110),
    ("eastern_european", 60),
    ("black_african", 50),
    ("black_caribbean", 30),
    ("irish", 20),
    ("irish_traveller", 25),
    ("mixed_white_black_caribbean", 25),
    ("mixed_white_black_african", 15),
    ("mixed_white_asian", 25),
)

# Forename -> shortened forms seen in other agencies' records.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Alexander": ("Alex", "Xander"),
    "Aleksander": ("Olek", "Alek"),
    "William": ("Will", "Bill", "Billy"),
    "Willie": ("Bill",),
    "Katherine": ("Kate", "Katie", "Kath"),
    "Kathleen": ("Kath", "Kathy"),
    "Katarzyna": ("Kasia",),
    "Małgorzata": ("Gosia",),
    "Mohammed": ("Mo", "Mohd"),
    "Muhammad": ("Mo", "Mohd"),
    "Mohamed": ("Mo",),
    "Oliver": ("Ollie", "Olly"),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jimmy"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Jessica": ("Jess",),
    "Samuel": ("Sam", "Sammy"),
    "Benjamin": ("Ben", "Benji"),
    "Daniel": ("Dan", "Danny"),
    "Joseph": ("Joe", "Joey"),
    "Matthew": ("Matt",),
    "Christopher": ("Chris",),
    "Charlotte": ("Charlie", "Lottie"),
    "Rebecca": ("Becky", "Becca"),
    "Abigail": ("Abbie", "Abby"),
    "Eleanor": ("Ellie", "Nell"),
    "Isabella": ("Bella", "Izzy"),
    "Olivia": ("Liv", "Livvy"),
    "Frederick": ("Freddie", "Fred"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Zachary": ("Zach", "Zak"),
    "Zakariya": ("Zak",),
    "Joshua": ("Josh",),
    "Nathan": ("Nate",),
    "Patrick": ("Paddy", "Pat"),
    "Michael": ("Mike", "Mickey"),
    "Margaret": ("Maggie", "Peggy"),
    "Jacob": ("Jake",),
    "Callum": ("Cal",),
    "Amelia": ("Millie",),
    "Matilda": ("Tilly",),
    "Florence": ("Flo", "Florrie"),
    "Alfred": ("Alfie",),
    "Abdullah": ("Abdul",),
    "Oluwaseun": ("Seun",),
    "Ebenezer": ("Ebi",),
    "Emmanuel": ("Manny",),
    "Anastasia": ("Nastia",),
    "Dominik": ("Dom",),
    "Harrison": ("Harry",),
    "Stanley": ("Stan",),
}

# Names common enough that two unrelated children often share them (look-alikes).
COMMON_NAMES: tuple[tuple[str, str, str, str], ...] = (
    ("Oliver", "M", "Smith", "white_british"),
    ("Jack", "M", "Jones", "white_british"),
    ("Amelia", "F", "Taylor", "white_british"),
    ("Olivia", "F", "Brown", "white_british"),
    ("Harry", "M", "Wilson", "white_british"),
    ("Muhammad", "M", "Khan", "south_asian"),
    ("Aisha", "F", "Ahmed", "south_asian"),
    ("Jakub", "M", "Nowak", "eastern_european"),
    ("Emily", "F", "Williams", "white_british"),
    ("Thomas", "M", "Davies", "white_british"),
)

ADULT_FEMALE = _words(
    "Sarah Emma Laura Claire Rachel Nicola Lisa Kelly Gemma Joanne Samantha Victoria Donna "
    "Stacey Leanne Michelle Natalie Jennifer Helen Louise Amanda Nadia Shazia Farah Nasreen "
    "Agnieszka Monika Ewa Funmi Ngozi Marcia Bernadette Theresa Siobhan Bridget Kerry Amy"
)
ADULT_MALE = _words(
    "David Paul Mark Andrew Richard Darren Lee Craig Stuart Gary Neil Jason Wayne Martin "
    "Simon Steven Carl Dean Imran Tariq Asif Khalid Piotr Tomasz Marius Chukwuma Kwabena "
    "Delroy Winston Sean Michael Patrick Gareth Ryan Kevin Anthony"
)
