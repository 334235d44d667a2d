#!/usr/bin/env python3
"""Scale benchmark for certdrill: generates a synthetic exam of N cards and a history of R
reviews, loads the reviews through `certdrill progress import`, and prints each figure next to
its floor. The floor is this script doing the least the figure needs with the same files:
parsing the same JSON, and reading what the figure needs from the same SQLite database.

    scripts/bench-scale.sh build/certdrill 50000 1000000
"""
import json, os, random, resource, shutil, sqlite3, subprocess, sys, tempfile, time, uuid

def generate(workdir, cards, reviews, seed=7):
    rnd = random.Random(seed)
    decks = os.path.join(workdir, "decks")
    os.makedirs(decks)
    domains = [("d%d" % i, 100 // 8 + (1 if i <= 100 % 8 else 0)) for i in range(1, 9)]
    exam = {
        "format_version": 1, "kind": "exam", "id": "bench", "name": "Bench Exam", "short_name": "BENCH",
        "vendor": "Bench",
        "outline": {"version": "1", "effective": "2024-04-15", "source_url": "https://example.org/bench",
                    "checked": "2026-11-30", "confirmed": False},
        "format": {"items_min": 100, "items_max": 150, "minutes": 180, "passing_percent": 70,
                   "delivery": "linear", "revisit": True, "open_book": False},
        "weighted": True,
        "domains": [{"id": d, "number": i + 1, "name": "Domain %d" % (i + 1), "weight": w,
                     "objectives": [{"id": "%d.%d" % (i + 1, k), "name": "Objective %d.%d" % (i + 1, k)} for k in range(1, 4)]}
                    for i, (d, w) in enumerate(domains)],
    }
    with open(os.path.join(decks, "exam.json"), "w") as f:
        json.dump(exam, f)
    words = ("risk control asset owner custodian policy standard baseline audit incident continuity recovery "
             "encryption key identity access privilege network boundary vendor contract privacy retention "
             "governance steering budget metric threat vulnerability exposure impact likelihood").split()
    ids = []
    per_file = 1000
    for start in range(0, cards, per_file):
        deck_cards = []
        for n in range(start, min(cards, start + per_file)):
            d = domains[n % 8][0]
            cid = "bench.%s.q%06d" % (d, n)
            ids.append(cid)
            stem = " ".join(rnd.choice(words) for _ in range(18)) + " (item %d)?" % n
            # Questions only, so that the plain-mode answers below ("A") are all accepted.
            options = [{"text": " ".join(rnd.choice(words) for _ in range(7)) + " %d%s" % (n, c)} for c in "abcd"]
            for o in options[1:]:
                o["reason"] = " ".join(rnd.choice(words) for _ in range(10))
            deck_cards.append({"id": cid, "type": "single", "domain": d, "topics": ["%s.1" % d[1:]],
                               "stem": stem, "options": options, "answer": "A",
                               "explanation": " ".join(rnd.choice(words) for _ in range(25))})
        deck = {"format_version": 1, "kind": "deck", "id": "bench-%05d" % start, "title": "Bench %d" % start,
                "exam": "bench", "author": "bench", "version": "1", "license": "CC0-1.0", "cards": deck_cards}
        with open(os.path.join(decks, "deck-%05d.json" % start), "w") as f:
            json.dump(deck, f, indent=1)
    history = os.path.join(workdir, "reviews.jsonl")
    t0 = 1_700_000_000_000
    with open(history, "w") as f:
        # Each review card is seen on several days; times increase per card.
        seen = min(cards, max(1, reviews // 20))
        per = reviews // seen
        extra = reviews - per * seen
        # Gaps of 1-19 days (10 on average), shrunk when a card has so many answers that its
        # history would run past the benchmark's "now" (2026-12-01, about 1,110 days after t0):
        # every card's history then fits in about 1,000 days. The random draws are the same
        # either way, so sizes of up to 100 answers a card generate what they always did.
        gap_unit = 86_400_000 if per * 10 <= 1000 else 86_400_000 * 1000 // (per * 10)
        for i in range(seen):
            at = t0 + rnd.randrange(0, 30) * 86_400_000
            for k in range(per + (1 if i < extra else 0)):
                rating = rnd.choice((1, 3, 3, 3, 3, 2, 4))
                f.write(json.dumps({"id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)), "card": ids[i],
                                    "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at / 1000)),
                                    "rating": rating, "correct": rating > 1, "mode": "study", "ms": 5000},
                                   separators=(",", ":")) + "\n")
                at += rnd.randrange(1, 20) * gap_unit
    return decks, history

def run(cmd, env, stdin=None):
    """Wall seconds, child CPU seconds and peak RSS (MiB) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, env=env, input=stdin, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0,):
        sys.exit("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr[-2000:]))
    rss_kib = int(p.stderr.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, rss_kib / 1024.0, p.stdout

def floor_load(decks, db):
    """The least the first question needs: parse every deck file, read the card states and the
    answers the mastery figures use."""
    start = time.perf_counter()
    cpu_start = time.process_time()
    cards = 0
    for name in sorted(os.listdir(decks)):
        with open(os.path.join(decks, name)) as f:
            cards += len(json.load(f).get("cards", []))
    con = sqlite3.connect(db)
    states = con.execute("SELECT card_id, state, stability, difficulty, due, last_review FROM cards").fetchall()
    answers = con.execute("SELECT card_id, at, correct FROM review_log").fetchall()
    con.close()
    return time.perf_counter() - start, time.process_time() - cpu_start, cards, len(states), len(answers)

def floor_validate(decks):
    start = time.perf_counter()
    cpu_start = time.process_time()
    seen = set()
    for name in sorted(os.listdir(decks)):
        with open(os.path.join(decks, name)) as f:
            doc = json.load(f)
        for c in doc.get("cards", []):
            if c["id"] in seen:
                raise SystemExit("duplicate id")
            seen.add(c["id"])
    return time.perf_counter() - start, time.process_time() - cpu_start

FLOOR_BUILTIN = """
import json, os, sqlite3, sys
def load(decks, db):
    cards = 0
    for root, dirs, files in os.walk(decks):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".json"):
                with open(os.path.join(root, name)) as f:
                    cards += len(json.load(f).get("cards", []))
    con = sqlite3.connect(db)
    con.execute("SELECT card_id, state, stability, difficulty, due, last_review FROM cards").fetchall()
    con.execute("SELECT card_id, at, correct FROM review_log").fetchall()
    con.close()
    return cards
if __name__ == "__main__":
    print(load(sys.argv[1], sys.argv[2]))
"""

def builtin_size(binary, scratch, runs=7):
    """The first question of a real exam (CISM) with only the built-in decks, as a returning
    candidate starts it: the database made by an earlier start, the deck cache filled. Two floors: the same parse and reads inside a running Python (which,
    like the figures above, leaves out starting a process), and as a whole Python process."""
    decks = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "decks")
    work = os.path.join(scratch, "builtin")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "progress.db")
    env = dict(os.environ, CERTDRILL_DB=db, CERTDRILL_NOW="2026-12-01T09:00:00Z", HOME=work,
               XDG_CONFIG_HOME=os.path.join(work, "config"), XDG_CACHE_HOME=os.path.join(work, "cache"))
    env.pop("CERTDRILL_CACHE_DIR", None)
    env.pop("CERTDRILL_DECKS", None)
    cmd = [binary, "--seed", "1", "study", "--exam", "cism", "--plain", "--limit", "1"]
    start = lambda: run(cmd, env, "q\n")
    start()  # makes the database and fills the cache
    scope = {}
    exec(FLOOR_BUILTIN, scope)
    shutil.copyfile(db, db + ".floor")
    inproc = []
    for _ in range(runs):
        cpu_start = time.process_time()
        scope["load"](decks, db + ".floor")
        inproc.append(time.process_time() - cpu_start)
    script = os.path.join(work, "floor.py")
    with open(script, "w") as f:
        f.write(FLOOR_BUILTIN)
    whole = [run([sys.executable, script, decks, db + ".floor"], env)[1] for _ in range(runs)]
    ours = [start()[1] for _ in range(runs)]
    median = lambda xs: sorted(xs)[len(xs) // 2]
    print("# built-in decks only, CISM, second start, deck cache filled; CPU ms, median (min) of %d" % runs)
    print("%-30s %7.0f ms (%.0f)" % ("first question", median(ours) * 1000, min(ours) * 1000))
    print("%-30s %7.0f ms (%.0f)   ratio %.1fx" % ("floor, in a running Python", median(inproc) * 1000,
                                                  min(inproc) * 1000, median(ours) / median(inproc)))
    print("%-30s %7.0f ms (%.0f)   ratio %.1fx" % ("floor, as a whole process", median(whole) * 1000,
                                                  min(whole) * 1000, median(ours) / median(whole)))

def main():
    binary = os.path.abspath(sys.argv[1])
    cards = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
    reviews = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
    # Enough answers that their cost stands out from the run-to-run noise of two process totals.
    answers = 200
    # CERTDRILL_BENCH_DIR keeps the generated files and the imported database there, and a later
    # run with the same sizes starts from a copy of that database instead of importing again.
    keep = os.environ.get("CERTDRILL_BENCH_DIR")
    with tempfile.TemporaryDirectory(prefix="certdrill-bench-") as scratch:
        work = os.path.join(keep, "%d-%d" % (cards, reviews)) if keep else scratch
        pristine = os.path.join(work, "imported.db")
        reuse = os.path.exists(pristine)
        if reuse:
            decks, history = os.path.join(work, "decks"), os.path.join(work, "reviews.jsonl")
        else:
            os.makedirs(work, exist_ok=True)
            decks, history = generate(work, cards, reviews)
        db = os.path.join(work, "progress.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        cache = os.path.join(work, "cache")
        env = dict(os.environ, CERTDRILL_DB=db, CERTDRILL_NOW="2026-12-01T09:00:00Z", HOME=work,
                   XDG_CONFIG_HOME=os.path.join(work, "config"), XDG_CACHE_HOME=cache)
        env.pop("CERTDRILL_CACHE_DIR", None)
        env.pop("CERTDRILL_DECKS", None)
        base = [binary, "--decks", decks, "--seed", "1"]
        print("# load average before the run: %.2f %.2f %.2f" % os.getloadavg())
        if reuse:
            shutil.copyfile(pristine, db)
            # As a clean shutdown leaves it: without its lock file a database counts as not closed
            # cleanly, and the first start would run the integrity check over the whole file.
            open(db + ".lock", "w").close()
            print("# certdrill bench-scale: %d cards, %d reviews (database imported by an earlier run)"
                  % (cards, reviews))
        else:
            imp = run(base + ["progress", "import", history], env)
            print("# certdrill bench-scale: %d cards, %d reviews (loaded by progress import in %.1f s, %.0f MiB)"
                  % (cards, reviews, imp[0], imp[2]))
            if keep:
                con = sqlite3.connect(db)
                con.execute("VACUUM INTO ?", (pristine,))
                con.close()
        # The cache of loaded decks starts empty (the import above filled it): the first start
        # fills it, the others read it.
        shutil.rmtree(cache, ignore_errors=True)
        # Wall time is what the user waits; on a shared machine it includes waiting for a core,
        # so CPU time (user + system) is printed beside it, for certdrill and for the floor.
        print("%-30s %10s %10s %10s %10s %7s" % ("figure", "wall", "cpu", "floor wall", "floor cpu", "ratio"))
        def row(name, result, floor):
            print("%-30s %7.0f ms %7.0f ms %7.0f ms %7.0f ms %6.1fx"
                  % (name, result[0] * 1000, result[1] * 1000, floor[0] * 1000, floor[1] * 1000, result[0] / floor[0]))
        fl = floor_load(decks, db)[:2]
        cold = run(base + ["study", "--exam", "bench", "--plain", "--limit", "1"], env, "A\nq\n")
        row("first question, decks uncached", cold, fl)
        one = run(base + ["study", "--exam", "bench", "--plain", "--limit", "1"], env, "A\nq\n")
        row("first question (plain)", one, fl)
        stats = run(base + ["stats", "--json"], env)
        row("stats --json", stats, fl)
        many = run(base + ["study", "--exam", "bench", "--plain", "--limit", str(answers + 1)], env,
                   "A\n" * (answers + 1) + "q\n")
        one_more = run(base + ["study", "--exam", "bench", "--plain", "--limit", "1"], env, "A\nq\n")
        given = many[3].count("Your answer")
        if given < answers + 1:
            sys.exit("the study session asked %d questions, not %d" % (given, answers + 1))
        per_answer = (many[1] - one_more[1]) / answers
        print("%-30s %10s %7.2f ms" % ("CPU per answer incl. planning", "-", per_answer * 1000))
        # The same figure from inside one process (bench/bench_answer.cpp, built with
        # -DCERTDRILL_BUILD_BENCH=ON next to certdrill): each answer timed on its own.
        bench_answer = os.path.join(os.path.dirname(binary), "bench_answer")
        if os.path.exists(bench_answer):
            timed = run([bench_answer, db, "bench", str(answers), decks], env)
            for line in timed[3].splitlines():
                if line.startswith(("answer", "advance", "CPU per answer")):
                    print("  in process: " + line)
        print("%-30s %6.0f MiB" % ("peak RSS (study, %d answers)" % (answers + 1), many[2]))
        fv = floor_validate(decks)
        val = run([binary, "--decks", decks, "validate", decks], env)
        row("validate", val, fv)
        builtin_size(binary, scratch)
        print("# load average after the run: %.2f %.2f %.2f" % os.getloadavg())

if __name__ == "__main__":
    main()
