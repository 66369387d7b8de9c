#!/usr/bin/env python3
"""Makes the documents of the batch tests of the translation memory: N short Ukrainian news
items, each of its own sentences (no two alike, no digits, so that every one is the engine's to
translate once) and the boilerplate line every news site repeats.

    docs.py FOLDER N        FOLDER/news-000.txt ... (N files)
"""
import itertools
import os
import sys

SUBJECTS = ["Міська рада", "Уряд", "Мешканці району", "Волонтери", "Лікарі обласної лікарні",
            "Вчителі гімназії", "Рятувальники", "Фермери півдня", "Студенти університету",
            "Підприємці ринку", "Бібліотекарі", "Водії автобусів"]
VERBS = ["обговорили", "підтримали", "розкритикували", "відклали", "схвалили", "оскаржили",
         "представили", "перевірили", "обіцяють завершити", "почали готувати"]
OBJECTS = ["новий план ремонту доріг", "зміни до бюджету", "проєкт нової школи",
           "правила паркування в центрі", "графік вивезення сміття", "ремонт укриття",
           "відкриття пункту незламності", "закупівлю генераторів", "програму для переселенців",
           "реконструкцію парку"]
BOILERPLATE = "Підписуйтеся на наш канал у Telegram, щоб першими дізнаватися головні новини."
PER_DOC = 5


def main():
    folder, n = sys.argv[1], int(sys.argv[2])
    pool = ("%s %s %s." % t for t in itertools.product(SUBJECTS, VERBS, OBJECTS))
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        sentences = [next(pool) for _ in range(PER_DOC)]
        text = " ".join(sentences[:3]) + "\n\n" + BOILERPLATE + "\n\n" + " ".join(sentences[3:]) + "\n"
        with open(os.path.join(folder, "news-%03d.txt" % i), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
