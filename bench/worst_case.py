"""Write the largest outline reportgen's documented limits allow, to time and size its build.

    python bench/worst_case.py /tmp/worst && cd /tmp/worst && \
      /usr/bin/time -v reportgen build worst.yaml -f pdf --jobs 1 --out b && \
      /usr/bin/time -v reportgen build worst.yaml -f pptx --jobs 1 --out b

Every limit at once (reportgen/loader.py LIMITS and MAX_*): 2,000 sections and
subsections, 20,000 points, 500 tables of 40 rows x 5 columns (100,000 cells),
500 charts (50,000 values), 500 figures, 5,000 sources, 200 summary points and
just under 5,000,000 characters of text in a file under 8 MB. Measured figures:
bench/RESULTS.md ("The largest outline the limits allow").
"""

import os
import sys

os.makedirs(sys.argv[1] if len(sys.argv) > 1 else ".", exist_ok=True)
os.chdir(sys.argv[1] if len(sys.argv) > 1 else ".")
import random
from PIL import Image
Image.new("RGB", (60, 40), "teal").save("f.png")
random.seed(1)
words = "the summit of leaders agreed on strategic stability talks and arms control verification measures for nuclear weapons".split()
def para(n): return " ".join(random.choice(words) for _ in range(n))
L = ["title: Worst case in limits", "subtitle: Everything at its limit", "author: Test", "date: 2021-06-16",
     "summary: [" + ", ".join(f"'{para(8)}'" for _ in range(200)) + "]", "sections:"]
tables = charts = figures = 0
for i in range(500):
    for level in (0, 1, 1, 1):
        if level == 0:
            L.append(f"  - title: Section {i} {para(5)}"); ind = "    "
        else:
            L.append(f"      - title: Sub {i} {para(4)}"); ind = "        "
        L.append(f"{ind}points: [" + ", ".join(f"'{para(10)}'" for _ in range(10)) + "]")
        L.append(f"{ind}body: |")
        for _ in range(2):
            L.append(f"{ind}  {para(75)} [@s{random.randint(0,4999)}]"); L.append("")
        if level == 0:
            tables += 1
            L.append(f"{ind}table:\n{ind}  caption: T{i}\n{ind}  columns: [A, B, C, D, E]\n{ind}  rows:")
            for r in range(39):
                L.append(f"{ind}    - [{para(2)}, {para(3)}, '{r*13.5}', '{r}', {para(1)}]")
        if level == 1 and charts < i + 1:
            charts += 1
            L.append(f"{ind}chart:\n{ind}  type: {['bar','stacked-bar','line','pie'][charts%4]}\n{ind}  title: C{i}\n{ind}  categories: [" + ", ".join(f"k{k}" for k in range(20)) + "]")
            nser = 1 if charts % 4 == 3 else 5
            L.append(f"{ind}  series:")
            for s in range(nser):
                L.append(f"{ind}    - {{name: s{s}, values: [" + ", ".join(str(random.randint(1, 900)) for _ in range(20)) + "]}")
        elif level == 1 and figures < i + 1:
            figures += 1
            L.append(f"{ind}figure: {{path: f.png, alt: a figure, caption: fig {i}}}")
        if level == 0:
            L.append("    subsections:")
L.append("sources:")
for s in range(5000):
    L.append(f"  - {{id: s{s}, title: 'Source {s} {para(6)}', url: 'https://example.org/{s}', publisher: P, date: '2021'}}")
open("worst.yaml", "w").write("\n".join(L) + "\n")
print(tables, charts, figures)
