"""Autocomplete benchmark for bot.content.matching.

Run by hand:  python tests/benchmarks/bench_autocomplete.py [--entries N] [--queries N]

Generates a deterministic catalogue of songs (multi-word English titles plus
Korean titles / aliases), builds a Matcher (build time, memory), then times
complete() over a mix of query classes and prints p50/p99/max per class.
The budget is complete() p99 < 5 ms at 10,000 entries on a slow 2-core box.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.content.matching import Entry, Matcher, normalize

SEED = 20240124

# English word -> Hangul transliteration (as K-pop Korean titles are written)
WORDS = {
    "love": "러브",
    "wins": "윈즈",
    "all": "올",
    "poem": "포엠",
    "blue": "블루",
    "night": "나이트",
    "day": "데이",
    "good": "굿",
    "bad": "배드",
    "girl": "걸",
    "girls": "걸스",
    "boy": "보이",
    "boys": "보이즈",
    "dream": "드림",
    "dreams": "드림스",
    "star": "스타",
    "light": "라이트",
    "fire": "파이어",
    "ice": "아이스",
    "heart": "하트",
    "shot": "샷",
    "candy": "캔디",
    "sugar": "슈가",
    "spring": "스프링",
    "summer": "썸머",
    "winter": "윈터",
    "snow": "스노우",
    "rain": "레인",
    "flower": "플라워",
    "moon": "문",
    "sun": "선",
    "sky": "스카이",
    "dance": "댄스",
    "party": "파티",
    "magic": "매직",
    "dynamite": "다이너마이트",
    "butter": "버터",
    "pink": "핑크",
    "venom": "베놈",
    "kill": "킬",
    "this": "디스",
    "crazy": "크레이지",
    "hot": "핫",
    "sauce": "소스",
    "next": "넥스트",
    "level": "레벨",
    "super": "슈퍼",
    "shy": "샤이",
    "hype": "하입",
    "boy2": "보이",
    "ditto": "디토",
    "attention": "어텐션",
    "cookie": "쿠키",
    "queen": "퀸",
    "king": "킹",
    "wonder": "원더",
    "land": "랜드",
    "secret": "시크릿",
    "garden": "가든",
    "lilac": "라일락",
    "palette": "팔레트",
    "eight": "에잇",
    "celebrity": "셀러브리티",
    "strawberry": "스트로베리",
    "moonlight": "문라이트",
    "kiss": "키스",
    "me": "미",
    "you": "유",
    "my": "마이",
    "your": "유어",
    "baby": "베이비",
    "honey": "허니",
    "sweet": "스윗",
    "dive": "다이브",
    "into": "인투",
    "the": "더",
    "new": "뉴",
    "world": "월드",
    "forever": "포에버",
    "young": "영",
    "wild": "와일드",
    "tiger": "타이거",
    "butterfly": "버터플라이",
    "river": "리버",
    "ocean": "오션",
    "wave": "웨이브",
    "electric": "일렉트릭",
    "neon": "네온",
    "glass": "글래스",
    "silver": "실버",
    "gold": "골드",
    "diamond": "다이아몬드",
    "crown": "크라운",
    "angel": "엔젤",
    "devil": "데빌",
    "ghost": "고스트",
    "bloom": "블룸",
    "blossom": "블라썸",
    "cherry": "체리",
    "lemon": "레몬",
    "mint": "민트",
    "rocket": "로켓",
    "rollercoaster": "롤러코스터",
    "highway": "하이웨이",
    "runaway": "런어웨이",
    "tonight": "투나잇",
    "forever2": "포에버",
    "again": "어게인",
    "hello": "헬로",
    "goodbye": "굿바이",
    "miracle": "미라클",
    "fantasy": "판타지",
    "paradise": "파라다이스",
    "universe": "유니버스",
    "galaxy": "갤럭시",
    "comet": "코멧",
    "thunder": "썬더",
    "storm": "스톰",
    "cloud": "클라우드",
    "feel": "필",
    "special": "스페셜",
    "fancy": "팬시",
    "cheer": "치어",
    "up": "업",
    "what": "왓",
    "is": "이즈",
    "lovesick": "러브식",
    "rumor": "루머",
    "drama": "드라마",
    "spicy": "스파이시",
    "savage": "새비지",
    "black": "블랙",
    "mamba": "맘바",
    "whiplash": "위플래시",
    "supernova": "슈퍼노바",
    "armageddon": "아마겟돈",
    "antifragile": "안티프래자일",
    "unforgiven": "언포기븐",
    "easy": "이지",
    "smart": "스마트",
    "perfect": "퍼펙트",
    "night2": "나이트",
    "first": "퍼스트",
    "last": "라스트",
    "kiss2": "키스",
    "letter": "레터",
    "secret2": "시크릿",
    "story": "스토리",
}
ENGLISH = [w for w in WORDS if not w[-1].isdigit()]

# Native Korean titles (no English equivalent), IU / ballad style
KOREAN_ONLY = [
    "밤편지",
    "좋은 날",
    "너의 의미",
    "봄날",
    "소녀",
    "사랑",
    "별빛",
    "우리의 밤",
    "그 여름",
    "첫사랑",
    "눈의 꽃",
    "꽃길",
    "하루",
    "바람",
    "노래",
    "시간을 달려서",
    "너를 만나",
    "마음",
    "기억",
    "비밀",
    "꿈",
    "여행",
    "안녕",
    "고백",
    "물망초",
    "가을 아침",
    "겨울잠",
    "이름에게",
    "나의 사춘기에게",
    "스물셋",
    "무릎",
    "잠 못 드는 밤",
]

FEATURES = ["", "", "", "", " (feat. Star)", " (Remix)", " (English Ver.)", " - Acoustic"]


def _title_words(rng: random.Random) -> list[str]:
    n = rng.choices([1, 2, 3, 4, 5], weights=[18, 40, 27, 11, 4])[0]
    words = rng.sample(ENGLISH, n)
    if n >= 3 and rng.random() < 0.25:
        words[1] = rng.choice(["of", "in", "and", "the", "to", "for"])
    return words


def make_catalogue(n: int, seed: int = SEED) -> list[Entry]:
    """Deterministic catalogue of `n` songs: English multi-word titles with a
    Hangul transliteration, some Korean-only titles, acronyms and aliases."""
    rng = random.Random(seed)
    entries: list[Entry] = []
    for i in range(n):
        if rng.random() < 0.08:
            ko = rng.choice(KOREAN_ONLY)
            if rng.random() < 0.5:
                ko = f"{ko} {rng.choice(list(WORDS.values()))}"
            label = ko
            names = (ko, ko.replace(" ", ""))
        else:
            words = _title_words(rng)
            label = " ".join(
                w.capitalize() if w not in ("of", "in", "and", "the", "to", "for") or j == 0 else w
                for j, w in enumerate(words)
            )
            label = label.upper() if rng.random() < 0.1 else label
            suffix = rng.choice(FEATURES)
            ko = " ".join(WORDS.get(w, w) for w in words)
            names = [label + suffix, ko, ko.replace(" ", "")]
            if len(words) >= 3 and rng.random() < 0.3:
                names.append("".join(w[0] for w in words).upper())
            if rng.random() < 0.1:
                names.append(label.replace(" ", "").lower())
            label = label + suffix
            names = tuple(names)
        entries.append(Entry(key=f"song:{i:05d}", label=label, names=tuple(names)))
    return entries


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 2:
        return s
    i = rng.randrange(len(s) - 1)
    op = rng.choice(["swap", "drop", "sub", "dup"])
    if op == "swap":
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if op == "drop":
        return s[:i] + s[i + 1 :]
    if op == "dup":
        return s[:i] + s[i] + s[i:]
    return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i + 1 :]


def _hangul_typo(rng: random.Random, s: str) -> str:
    """Change the vowel of one syllable (a one-jamo typo)."""
    idx = [i for i, c in enumerate(s) if 0xAC00 <= ord(c) <= 0xD7A3]
    if not idx:
        return s
    i = rng.choice(idx)
    base = ord(s[i]) - 0xAC00
    lead, rem = divmod(base, 588)
    v, t = divmod(rem, 28)
    v2 = rng.choice([x for x in (0, 4, 8, 13, 18, 20) if x != v])
    return s[:i] + chr(0xAC00 + lead * 588 + v2 * 28 + t) + s[i + 1 :]


HOSTILE = [
    "x" * 5000,
    "\u0000\u0001\u0007\u001b[31m love \u200b\u200d\ufeff",
    "'; DROP TABLE songs; --",
    "@everyone @here",
    "💜" * 300,
    "**__~~`love`~~__**",
    "ㅤㅤㅤ",
    "ｌｏｖｅ　ｗｉｎｓ",
    "l̷̢o̸v̵e̶",
    "🇰🇷🏳️‍🌈👨‍👩‍👧",
]


def make_queries(entries: list[Entry], per_class: int, seed: int = SEED + 1) -> dict[str, list[tuple[str, str]]]:
    """{class: [(query, intended key or "")]}"""
    rng = random.Random(seed)
    latin = [e for e in entries if e.label.isascii()]
    korean = [(e, n) for e in entries for n in e.names if any("\uac00" <= c <= "\ud7a3" for c in n)]
    q: dict[str, list[tuple[str, str]]] = {
        k: [] for k in ("prefix", "full", "word", "typo", "hangul", "hangul-typo", "nonsense", "short")
    }
    multiword = [x for x in latin[:2000] if " " in x.label]
    longish = [x for x in latin[:2000] if len(normalize(x.label)) >= 8]
    for _ in range(per_class):
        e = rng.choice(latin)
        q["prefix"].append((e.label[: rng.randint(3, max(3, min(12, len(e.label))))], e.key))
        e = rng.choice(entries)
        q["full"].append((rng.choice(e.names), e.key))
        e = rng.choice(multiword)
        w = e.label.split(" ", 1)[1]
        q["word"].append((w[: rng.randint(3, max(3, len(w)))], e.key))
        e = rng.choice(longish)
        q["typo"].append((_typo(rng, e.label.lower()), e.key))
        e, n = rng.choice(korean)
        cut = rng.randint(min(2, len(n)), len(n))
        q["hangul"].append((n[:cut], e.key))
        e, n = rng.choice(korean)
        q["hangul-typo"].append((_hangul_typo(rng, n), e.key))
        if rng.random() < 0.15:
            q["nonsense"].append((rng.choice(HOSTILE), ""))
        else:
            q["nonsense"].append(("".join(rng.choice("qxzjvkwpy") for _ in range(rng.randint(4, 14))), ""))
        if rng.random() < 0.7:
            s = "".join(rng.choice("abcdefghijklmnoprstuwy") for _ in range(rng.randint(1, 2)))
        else:
            s = rng.choice("러브나이트드림스타핑크ㄹㅂㅅ")
        q["short"].append((s, ""))
    return q


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=400, help="queries per class")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes over the query set")
    args = ap.parse_args()

    entries = make_catalogue(args.entries)
    n_names = sum(len(e.names) for e in entries)
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{len(entries):,} entries, {n_names:,} names"
    )

    gc.collect()
    t0 = time.perf_counter()
    m = Matcher(entries)
    build_s = time.perf_counter() - t0

    del m
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    m = Matcher(entries)
    gc.collect()
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"build: {build_s * 1000:.0f} ms; memory retained {(cur - base) / 2**20:.1f} MiB "
        f"(peak during build {(peak - base) / 2**20:.1f} MiB); {m!r}"
    )

    queries = make_queries(entries, args.queries)
    for qs in queries.values():  # warm-up
        for text, _ in qs[:20]:
            m.complete(text)

    label_norm = {e.key: normalize(e.label) for e in entries}
    times: dict[str, list[float]] = {k: [] for k in queries}
    hit1: dict[str, int] = {k: 0 for k in queries}
    hit25: dict[str, int] = {k: 0 for k in queries}
    for _ in range(args.repeat):
        for cls, qs in queries.items():
            for text, want in qs:
                t = time.perf_counter_ns()
                res = m.complete(text)
                times[cls].append((time.perf_counter_ns() - t) / 1e6)
                if want and _ == 0:
                    keys = [r.key for r in res]
                    # a same-titled song first also counts (the catalogue has duplicate titles)
                    hit1[cls] += bool(res) and (keys[0] == want or normalize(res[0].label) == label_norm[want])
                    hit25[cls] += want in keys

    print()
    header = f"{'class':<12}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'top1':>8}{'top25':>8}"
    print(header)
    print("-" * len(header))
    alltimes: list[float] = []
    for cls, ts in times.items():
        alltimes += ts
        n = len(queries[cls])
        has_target = any(w for _, w in queries[cls])
        t1 = f"{100 * hit1[cls] / n:.0f}%" if has_target else "-"
        t25 = f"{100 * hit25[cls] / n:.0f}%" if has_target else "-"
        print(f"{cls:<12}{len(ts):>7}{statistics.median(ts):>9.3f}{pct(ts, 99):>9.3f}{max(ts):>9.3f}{t1:>8}{t25:>8}")
    print("-" * len(header))
    print(
        f"{'overall':<12}{len(alltimes):>7}{statistics.median(alltimes):>9.3f}{pct(alltimes, 99):>9.3f}"
        f"{max(alltimes):>9.3f}"
    )
    print(
        "\n(top1: intended song, or one with the same title, ranked first; top25: intended song "
        "anywhere in complete()'s 25 results)"
    )

    rt: list[float] = []
    for qs in queries.values():
        for text, _ in qs:
            t = time.perf_counter_ns()
            m.resolve(text)
            rt.append((time.perf_counter_ns() - t) / 1e6)
    print(f"resolve(): n={len(rt)} p50 {statistics.median(rt):.3f} ms, p99 {pct(rt, 99):.3f} ms, max {max(rt):.3f} ms")


if __name__ == "__main__":
    main()
