"""Entry-level checks: every field of an entry, plus the rules that span its fields.

A :class:`Checker` collects problems (which reject the pack) and warnings (which don't) for one load, and
memoises what several entries share: seed articles and time zones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.content.fields import FIELD_CHECKS, NAME_FIELDS, SPECS
from bot.content.files import MAX_SEED_BYTES, SEED_NAME_RE, Seed, read_regular_file
from bot.content.forms import normalize
from bot.content.local_times import local_time_problem
from bot.content.problems import Problem
from bot.content.toml_entries import Raw


class Checker:
    """Checks entries for one load of packs; ``problems`` reject the packs, ``warnings`` don't.

    ``seeds_dir``: the folder of source articles that every quote is checked against, verbatim."""

    def __init__(self, seeds_dir: Path) -> None:
        self.seeds_dir = seeds_dir
        self.problems: list[Problem] = []
        self._seeds: dict[str, Seed | None] = {}
        self._zones: dict[str, bool] = {}
        self.unparsed_tables: set[str] = set()  # tables seen in files that didn't parse
        self.warnings: list[Problem] = []  # reported, but don't reject the pack

    def problem(self, raw: Raw, message: str, key: str | None = None) -> None:
        line = raw.key_line(key) if key else raw.line
        self.problems.append(Problem(raw.file, line, raw.label, message))

    # -- value checks; each returns the cleaned value or None after recording a problem
    def seed(self, name: str) -> Seed | None:
        """The seed article ``name`` (a plain file name in the seeds folder), or None when there is no such
        readable regular file of at most :data:`MAX_SEED_BYTES`."""
        if name not in self._seeds:
            seed = None
            if SEED_NAME_RE.match(name):
                text, _why = read_regular_file(self.seeds_dir / name, self.seeds_dir, MAX_SEED_BYTES)
                seed = Seed(text) if text is not None else None
            self._seeds[name] = seed
        return self._seeds[name]

    def zone_ok(self, name: str) -> bool:
        if name not in self._zones:
            try:
                ZoneInfo(name)
                # IANA region zones only: Etc/GMT+9 and EST are fixed offsets that ignore daylight saving.
                self._zones[name] = ("/" in name and not name.startswith("Etc/")) or name in ("UTC", "Etc/UTC")
            except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
                # OSError: a name such as "America" is a folder of the zone database, not a zone (issue 9 item 13)
                self._zones[name] = False
        return self._zones[name]

    def check_local_time(self, raw: Raw, clean: dict[str, Any]) -> None:
        """A show's local time must exist, and happen once, in its zone on its date (issue 9 item 6).

        In a daylight-saving gap (02:30 on the day New York springs forward) the time is refused; for a time
        that happens twice (01:30 on the day clocks go back) ``offset`` must say which: the UTC offset in
        force then, "-04:00" for the first, "-05:00" for the second. ``clean`` gets ``fold`` (0 or 1, as in
        :class:`datetime.datetime`) and loses ``offset``."""
        offset = clean.pop("offset", None)
        if "offset" in raw.data and "time" not in raw.data:
            self.problem(raw, "'offset' is only needed with a 'time' that happens twice; remove it", "offset")
            return
        if not {"date", "time", "zone"} <= clean.keys():
            return
        fold, why, key = local_time_problem(clean["date"], clean["time"], clean["zone"], offset)
        if why is not None:
            self.problem(raw, why, key)
        elif fold:
            clean["fold"] = fold

    def check_typeable(self, raw: Raw, clean: dict[str, Any]) -> None:
        """Warn when no name of the entry has a letter or digit (issue 9 item 8): ``♡`` is found only by
        typing ``♡`` exactly, which most keyboards make hard."""
        fields = NAME_FIELDS[raw.table]
        given = [clean.get(f) for f in fields[:2]] + list(clean.get("aliases", ()))
        names = [n for n in given if isinstance(n, str)]
        if names and not any(normalize(n) for n in names):
            self.warnings.append(
                Problem(
                    raw.file,
                    raw.key_line(fields[0]),
                    raw.label,
                    f"warning: {fields[0]} {names[0]!r} has no letters or digits, so fans "
                    "can only find it by typing it exactly; add an alias they can type to "
                    "'aliases'",
                )
            )

    def check(self, raw: Raw) -> dict[str, Any]:
        """The entry's valid fields. Problems are recorded; the partial record still takes part in
        reference checks, so one run reports everything."""
        spec = SPECS[raw.table]
        clean: dict[str, Any] = {}
        for key in raw.data:
            if key not in spec:
                close = [k for k in spec if k.replace("_", "") == key.replace("_", "").lower()]
                hint = f" (did you mean {close[0]!r}?)" if close else f"; allowed: {', '.join(spec)}"
                self.problem(raw, f"unknown key {key!r}{hint}", key)
        for key, (kind, required) in spec.items():
            if key not in raw.data:
                if required:
                    self.problem(raw, f"missing required key {key!r}")
                continue
            value = FIELD_CHECKS[kind](self, raw, key, raw.data[key])
            if value is not None:
                clean[key] = value
        self.check_across_fields(raw, clean)
        if raw.table == "show":
            self.check_local_time(raw, clean)
        if raw.table in NAME_FIELDS:
            self.check_typeable(raw, clean)
        if "quote" in raw.data and "source" not in raw.data:
            self.problem(raw, "a 'quote' needs its 'source' (a file name in seeds/)", "quote")
        if "source" in clean and "quote" in clean:
            seed = self.seed(clean["source"])
            if seed is not None and clean["quote"] not in seed:
                self.problem(raw, f"quote not found in seeds/{clean['source']}", "quote")
        return clean

    def check_across_fields(self, raw: Raw, clean: dict[str, Any]) -> None:
        """Rules between fields of one entry: a song's release date needs its zone, a question's wrong
        options (:meth:`check_wrong_options`), an article's title and dateline are verbatim in its seed and the
        dateline agrees with 'published'."""
        if raw.table == "song" and "released" in clean and "zone" not in raw.data:
            self.problem(raw, "'released' needs a 'zone' (the IANA zone the date is in, e.g. 'Asia/Seoul')", "released")
        if raw.table == "question":
            self.check_wrong_options(raw, clean)
        if raw.table == "article" and "file" in clean:
            seed = self.seed(clean["file"])
            for key in ("title", "dateline"):
                if seed is not None and key in clean and clean[key] not in seed:
                    self.problem(raw, f"{key} not found in seeds/{clean['file']} (copy it exactly)", key)
            if "dateline" in clean and "published" in clean and str(clean["published"].year) not in clean["dateline"]:
                self.problem(
                    raw,
                    f"'published' is in {clean['published'].year} but the dateline "
                    f"{clean['dateline']!r} doesn't say so",
                    "published",
                )

    def check_wrong_options(self, raw: Raw, clean: dict[str, Any]) -> None:
        """A question's wrong options, in English ('wrong') and Korean ('wrong_ko'), are not accepted answers
        (the answer, 'answer_ko' or an alias, compared after the answer checker's normalisation); 'wrong_ko'
        gives one Korean form per wrong option, in the same order, and goes with an 'answer_ko' (a Korean
        reader sees the four options in Korean only when all four have a Korean form)."""
        if "answer" in clean:
            accepted = {normalize(a) for a in (clean["answer"], clean.get("answer_ko"), *clean.get("aliases", ())) if a}
            for key, label in (("wrong", "wrong option"), ("wrong_ko", "wrong_ko option")):
                for option in clean.get(key, ()):
                    if normalize(option) in accepted:
                        self.problem(raw, f"{label} {option!r} is an accepted answer", key)
        korean = clean.get("wrong_ko")
        if korean is None:
            return
        if "wrong" in clean and len(korean) != len(clean["wrong"]):
            self.problem(
                raw,
                f"'wrong_ko' needs exactly {len(clean['wrong'])} Korean forms, one for each wrong option "
                f"in the same order, got {len(korean)}",
                "wrong_ko",
            )
        if "answer_ko" not in raw.data:
            self.problem(
                raw, "'wrong_ko' needs an 'answer_ko': without it the options are shown in English", "wrong_ko"
            )
