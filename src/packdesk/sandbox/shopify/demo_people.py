"""Demo customers: names and US addresses, built from the seed and a customer number."""

from __future__ import annotations

import random

from packdesk.sandbox.shopify.catalog import Node, gid

_FIRST = [
    "Maya",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Ava",
    "Lucas",
    "Mia",
    "Ethan",
    "Zoe",
    "Aria",
    "Leo",
    "Ruth",
    "Omar",
    "Priya",
    "Chen",
    "Sofia",
    "Diego",
    "Hana",
    "Isaac",
]
_LAST = [
    "Johnson",
    "Garcia",
    "Nguyen",
    "Patel",
    "Smith",
    "Kim",
    "Brown",
    "Lopez",
    "Davis",
    "Cohen",
    "Okafor",
    "Rossi",
    "Müller",
    "Wilson",
    "Clark",
    "Singh",
    "Ali",
    "Moore",
]
_STREETS = [
    "Maple Ave",
    "Oak St",
    "Pine Rd",
    "Cedar Ln",
    "Elm St",
    "Lake Dr",
    "Hill Rd",
    "Park Blvd",
    "Sunset Ave",
    "River Rd",
    "Main St",
    "Church St",
]
# (city, province, province code, zip)
_CITIES = [
    ("Sacramento", "California", "CA", "95814"),
    ("Portland", "Oregon", "OR", "97205"),
    ("Seattle", "Washington", "WA", "98101"),
    ("Phoenix", "Arizona", "AZ", "85004"),
    ("Denver", "Colorado", "CO", "80202"),
    ("Austin", "Texas", "TX", "78701"),
    ("Chicago", "Illinois", "IL", "60601"),
    ("Columbus", "Ohio", "OH", "43215"),
    ("Atlanta", "Georgia", "GA", "30303"),
    ("Boston", "Massachusetts", "MA", "02108"),
    ("Brooklyn", "New York", "NY", "11201"),
    ("Philadelphia", "Pennsylvania", "PA", "19103"),
    ("Raleigh", "North Carolina", "NC", "27601"),
    ("Miami", "Florida", "FL", "33130"),
    ("Minneapolis", "Minnesota", "MN", "55401"),
    ("Los Angeles", "California", "CA", "90012"),
    ("San Diego", "California", "CA", "92101"),
    ("Salt Lake City", "Utah", "UT", "84111"),
]


def make_customer(seed: int, c: int) -> tuple[Node, Node]:
    """Customer number c and their default shipping address, the same for the same seed."""
    r = random.Random(seed * 7919 + c)
    first, last = r.choice(_FIRST), r.choice(_LAST)
    num = 7_200_000_000 + c
    email = f"{first.lower()}.{last.lower()}{c}@example.com".replace("ü", "u")
    state = "SUBSCRIBED" if r.random() < 0.4 else "NOT_SUBSCRIBED"
    customer: Node = {
        "id": gid("Customer", num),
        "legacyResourceId": str(num),
        "displayName": f"{first} {last}",
        "firstName": first,
        "lastName": last,
        "email": email,
        "phone": None,
        "emailMarketingConsent": {
            "marketingState": state,
            "marketingOptInLevel": "SINGLE_OPT_IN",
            "consentUpdatedAt": None,
        },
    }
    customer["defaultEmailAddress"] = {
        "emailAddress": email,
        "marketingState": state,
        "marketingOptInLevel": "SINGLE_OPT_IN",
        "marketingUpdatedAt": None,
    }
    city, province, pcode, zipc = r.choice(_CITIES)
    address = {
        "id": gid("MailingAddress", 9_100_000_000 + c),
        "name": f"{first} {last}",
        "firstName": first,
        "lastName": last,
        "company": "Sunrise Elementary" if r.random() < 0.1 else None,
        "address1": f"{r.randint(10, 9899)} {r.choice(_STREETS)}",
        "address2": f"Apt {r.randint(1, 40)}" if r.random() < 0.2 else None,
        "city": city,
        "province": province,
        "provinceCode": pcode,
        "zip": zipc,
        "country": "United States",
        "countryCodeV2": "US",
        "phone": f"+1555{r.randint(1000000, 9999999)}",
    }
    return customer, address
