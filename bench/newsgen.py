#!/usr/bin/env python3
"""Generate news-like wire stories from dyad's own templates (a benchmark corpus, not data).

usage: newsgen.py OUT_DIR N_SENTENCES [SEED]
Writes text files of about 20 sentences each, with datelines and credits lines.
"""
import os
import random
import sys

COUNTRIES = [
    ("Iran", "Iranian", "Tehran"), ("Syria", "Syrian", "Damascus"), ("Turkey", "Turkish", "Ankara"),
    ("Russia", "Russian", "Moscow"), ("Ukraine", "Ukrainian", "Kyiv"), ("Iraq", "Iraqi", "Baghdad"),
    ("Israel", "Israeli", "Jerusalem"), ("Egypt", "Egyptian", "Cairo"), ("France", "French", "Paris"),
    ("Germany", "German", "Berlin"), ("China", "Chinese", "Beijing"), ("Japan", "Japanese", "Tokyo"),
    ("Sudan", "Sudanese", "Khartoum"), ("Ethiopia", "Ethiopian", "Addis Ababa"),
    ("Nigeria", "Nigerian", "Abuja"), ("Mali", "Malian", "Bamako"), ("Pakistan", "Pakistani", "Islamabad"),
    ("India", "Indian", "New Delhi"), ("Venezuela", "Venezuelan", "Caracas"), ("Colombia", "Colombian", "Bogota"),
]
ROLES = ["foreign minister", "defence minister", "prime minister", "president", "army chief",
         "interior minister", "ambassador", "spokesman"]
GROUPS = ["rebels", "militants", "protesters", "police", "troops", "security forces", "lawmakers"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week",
        "yesterday", "earlier this month", "on Sunday"]
TEMPLATES = [
    "{A_adj} {role} met his {B_adj} counterpart in {B_cap} {day} to discuss security and trade.",
    "{A} accused {B} of violating the ceasefire along their border, officials said {day}.",
    "{A_adj} {group} clashed with {B_adj} forces near the border {day}, a military spokesman said.",
    "The {A_adj} government said it would send humanitarian aid to {B} after the floods.",
    "{A_adj} {role} visited {B_cap} {day} and signed an agreement on energy cooperation with {B_adj} officials.",
    "{A} warned {B} that it would respond to any attack on its territory.",
    "\"We will not accept any interference in our internal affairs,\" the {A_adj} {role} said.",
    "{A_adj} police arrested dozens of protesters in {A_cap} {day}, according to local media.",
    "{A} and {B} agreed to resume talks on a peace deal next month.",
    "{A_adj} {group} did not attack the convoy, a spokesman for the {B_adj} mission said.",
    "The {B_adj} foreign ministry condemned the {A_adj} air strikes, which killed at least 12 people.",
    "{A} called on {B} to release the detained journalists and lift restrictions on aid.",
    "The summit, which {A_cap} will host on March 7, is expected to focus on the war in {C}.",
    "{B_adj} officials, who asked not to be named, said {A} had rejected the proposal.",
    "Economists expect growth in {A} to slow to 2.5 percent this year as exports weaken.",
    "{A} imposed new sanctions on {B_adj} banks {day}, the finance ministry said in a statement.",
    "The {A_adj} president praised {B} for its support and pledged to expand military cooperation.",
    "{A_adj} troops withdrew from two villages in {C} {day} under a deal mediated by {B}.",
    "Thousands of people marched in {A_cap} to demand the resignation of the {A_adj} government.",
    "The U.N. Security Council will meet on Friday to discuss the fighting in {C}, diplomats said.",
]


def story(rng, n):
    a, b, c = rng.sample(COUNTRIES, 3)
    fill = dict(A=a[0], A_adj=a[1], A_cap=a[2], B=b[0], B_adj=b[1], B_cap=b[2], C=c[0])
    lines = []
    for i in range(n):
        t = rng.choice(TEMPLATES)
        s = t.format(role=rng.choice(ROLES), group=rng.choice(GROUPS), day=rng.choice(DAYS), **fill)
        s = s[0].upper() + s[1:]
        lines.append(s)
    month = rng.choice(["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct."])
    head = f"{a[2].upper()}, {month} {rng.randint(1, 28)} (Reuters) - "
    body = head + " ".join(lines[:2]) + "\n" + "\n".join(lines[2:])
    return body + f"\n(Reporting by Staff Writer in {a[2]}; Editing by Desk Editor)\n"


def main():
    out, total = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    os.makedirs(out, exist_ok=True)
    written, k = 0, 0
    while written < total:
        n = min(20, total - written)
        with open(os.path.join(out, f"story-{k:06d}.txt"), "w", encoding="utf-8") as f:
            f.write(story(rng, n))
        written += n
        k += 1
    print(f"{k} stories, {written} sentences in {out}")


if __name__ == "__main__":
    main()
