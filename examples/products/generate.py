#!/usr/bin/env python3
"""Writes products.jsonl: 200 made-up products, the same bytes on every run (a fixed seed, no clock, no network)."""
import json
import random
from pathlib import Path

CATEGORIES = {
    "audio": (["wireless headphones", "bluetooth speaker", "noise cancelling earbuds", "studio monitor headphones",
               "portable radio", "soundbar"], ["bass", "battery", "microphone", "foldable", "waterproof"]),
    "lighting": (["desk lamp", "led strip", "floor lamp", "reading light", "smart bulb", "night light"],
                 ["dimmable", "warm white", "usb powered", "clamp", "colour changing"]),
    "cables": (["usb c cable", "hdmi cable", "lightning cable", "ethernet cable", "usb hub", "power strip"],
               ["braided", "fast charging", "4k", "gold plated", "two metre"]),
    "office": (["ergonomic chair", "standing desk", "monitor arm", "desk organizer", "whiteboard", "paper shredder"],
               ["adjustable", "steel frame", "compact", "quiet", "cable management"]),
    "kitchen": (["coffee grinder", "electric kettle", "french press", "espresso machine", "milk frother", "toaster"],
                ["stainless steel", "temperature control", "ceramic burr", "one litre", "auto shut off"]),
}
BRANDS = ["Acme", "Northwind", "Lumen", "Voltix", "Quietude", "Brightwell", "Cortado", "Fieldstone"]


def main():
    rng = random.Random(20261126)
    out = Path(__file__).with_name("products.jsonl")
    lines = []
    for n in range(1, 201):
        category = rng.choice(sorted(CATEGORIES))
        kinds, traits = CATEGORIES[category]
        kind = rng.choice(kinds)
        brand = rng.choice(BRANDS)
        chosen = rng.sample(traits, 2)
        title = f"{brand} {chosen[0]} {kind}"
        rating = rng.randint(30, 50) / 10
        description = (f"A {chosen[0]} {kind} from {brand} with {chosen[1]} design. "
                       f"Made for everyday {category} use; rated {rating} by buyers.")
        doc = {
            "id": f"p{n:03d}",
            "title": title,
            "description": description,
            "brand": brand,
            "category": category,
            "price": round(rng.uniform(5, 400), 2),
            "rating": rating,
            "in_stock": rng.random() > 0.2,
        }
        lines.append(json.dumps(doc, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
