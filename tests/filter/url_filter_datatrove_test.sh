#!/usr/bin/env bash
# url_filter against the real datatrove URLFilter (../shared/reference/datatrove-kit, with
# Debian's python3-tldextract reading Debian's Public Suffix List), reason for reason, on:
#   - every URL of the shared extraction benchmarks (both sets), every link (href) of their
#     HTML pages, and every WARC-Target-URI of the shared WARC files: real URLs of many sites,
#     absolute and relative, with every oddity pages carry;
#   - URLs written for the edge cases: schemes, userinfo, ports, IPs, trailing dots, case,
#     Punycode and Unicode hosts, PSL wildcard and exception rules, separators at the ends;
# with the kit's word lists (banned, soft-banned, subwords) and a UT1-layout blocklist built
# here from those URLs (registered domains, full hosts, exact URLs, a blank line, a comment),
# read by winnow as a directory and by datatrove as its extra lists.
# Skips (exit 0, with a message) without /usr/bin/python3, the kit or its packages.
#   url_filter_datatrove_test.sh WINNOW SHARED_DIR
set -uo pipefail
winnow=${1:?usage: url_filter_datatrove_test.sh WINNOW SHARED_DIR}
shared=${2:?usage: url_filter_datatrove_test.sh WINNOW SHARED_DIR}
kit=$shared/reference/datatrove-kit
[[ -d $shared/data/extraction ]] || { echo "SKIP: $shared/data not found (the shared data is absent)"; exit 0; }
[[ -x /usr/bin/python3 && -f $kit/run_datatrove.py ]] || { echo "SKIP: /usr/bin/python3 or $kit absent"; exit 0; }
/usr/bin/python3 -c 'import tldextract, ahocorasick' 2>/dev/null ||
  { echo "SKIP: python3-tldextract or python3-ahocorasick absent (sudo bash $kit/setup.sh)"; exit 0; }
[[ -f /usr/share/publicsuffix/public_suffix_list.dat ]] ||
  { echo "SKIP: Debian's publicsuffix package is absent"; exit 0; }
tmp=$(mktemp -d)
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$tmp"' EXIT
assets=$kit/datatrove/src/datatrove/assets

# The URLs, the blocklist and datatrove's decisions.
(cd "$kit" && source ./env.sh >/dev/null 2>&1; HOME=$tmp /usr/bin/python3 - "$shared/data" "$tmp" "$assets") <<'PY' || { echo "FAIL: the datatrove side did not run"; exit 1; }
import glob, gzip, html, json, os, re, sys
data, tmp, assets = sys.argv[1:4]
sys.path.insert(0, os.getcwd())
import run_datatrove
run_datatrove.setup_datatrove()
from datatrove.pipeline.filters import URLFilter
from datatrove.data import Document
import tldextract

urls = []
for truth in sorted(glob.glob(os.path.join(data, "extraction*", "*", "truth.jsonl.gz"))):
    with gzip.open(truth, "rt") as f:
        urls += [json.loads(line).get("url") or "" for line in f]
href = re.compile(rb"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
for page in sorted(glob.glob(os.path.join(data, "extraction*", "*", "html", "*"))):
    opener = gzip.open if page.endswith(".gz") else open
    with opener(page, "rb") as f:
        for m in href.finditer(f.read()):
            u = html.unescape((m.group(1) or m.group(2) or b"").decode("utf-8", "replace")).strip()
            if u and "\x00" not in u:
                urls.append(u)
for warc in sorted(glob.glob(os.path.join(data, "warc", "**", "*.warc*"), recursive=True)):
    opener = gzip.open if warc.endswith(".gz") else open
    try:
        with opener(warc, "rb") as f:
            for line in f:
                if line.startswith(b"WARC-Target-URI:"):
                    urls.append(line.split(b":", 1)[1].strip().strip(b"<>").decode("utf-8", "replace"))
    except (OSError, EOFError):
        pass  # a deliberately truncated archive: the URLs read so far count
edge = """http://forums.news.cnn.com/
https://www.bbc.co.uk/news
HTTP://WWW.Example.COM/Path
//protocol-relative.example.org/x
example.com/no-scheme
user:pass@login.example.net:8080/x
https://user@host.example.co.jp/
http://127.0.0.1/admin
http://127.1/
http://10.0.0.300/
http://[2001:db8::1]/x
http://localhost:8000/
http://example.com./trailing-dot
http://www.ck/
http://foo.www.ck/
http://a.b.kawasaki.jp/
http://city.kawasaki.jp/
http://xn--80ak6aa92e.com/
http://xn--e1afmkfd.xn--p1ai/
http://пример.рф/
http://xn--zz-.com/
http://bücher.de/
https://casino-games.example.com/
https://example.com/free-porn-videos
https://example.com/?q=Casino
https://example.com/sex/xxx
/relative/path
-starts-with-separator.com
https://example.com/ends-with/
mailto:someone@example.com
https://example.unknowntld/
https://a.b.c.d.e.f.example.co.uk/x#frag
https://EXAMPLE.org.
https://blogspot.com/
https://foo.blogspot.com/
https://winnow-test-a.net/free-porn-videos
https://winnow-test-b.net/watch?v=Casino&x=porn
https://winnow-test-c.net/anus/asshole/page
https://winnow-test-d.net/ass-babes
https://winnow-test-e.net/2-girls-1-cup
https://winnow-test-f.net/AlabamaHotPocket
https://winnow-test-g.net/18abused.html""".splitlines()
urls = [u for u in urls + edge if u]
seen = set()
urls = [u for u in urls if not (u in seen or seen.add(u))]

# A UT1-layout blocklist from the URLs: registered domains of every 5th, full hosts of every
# 7th, exact URLs of every 11th, an uppercase host, a comment and a blank line.
ext = tldextract.TLDExtract()
domains = [ext(u).registered_domain for u in urls[::5]] + [ext(u).fqdn for u in urls[3::7]]
domains = [d for d in domains if d] + ["# a comment", "WWW.Example.COM"]
exact = urls[2::11]
lines = lambda p: open(p).readlines()
def blocklist(name, blank):
    for cat, ds, us in (("adult", domains[::2], exact[::2]), ("gambling", domains[1::2], exact[1::2])):
        os.makedirs(os.path.join(tmp, name, cat))
        with open(os.path.join(tmp, name, cat, "domains"), "w") as f:
            f.write("\n".join(ds + ([""] if blank else [])) + "\n")
        with open(os.path.join(tmp, name, cat, "urls"), "w") as f:
            f.write("\n".join(us) + "\n")
    return (lines(os.path.join(tmp, name, "adult", "domains")) + lines(os.path.join(tmp, name, "gambling", "domains")),
            lines(os.path.join(tmp, name, "adult", "urls")) + lines(os.path.join(tmp, name, "gambling", "urls")))
words = dict(banned_words=lines(os.path.join(assets, "banned_words.txt")),
             banned_subwords=lines(os.path.join(assets, "banned_subwords.txt")),
             soft_banned_words=lines(os.path.join(assets, "soft_banned_words.txt")))
# Three lists: the blocklist (with a blank line, as datatrove reads it: an empty domain) and
# the word lists; the word lists alone (every URL reaches the word checks); the blocklist
# without its blank line alone.
d1, u1 = blocklist("ut1", True)
d2, u2 = blocklist("ut1b", False)
filters = {"all": URLFilter(use_integrated_lists=False, extra_domains=d1, extra_urls=u1, **words),
           "words": URLFilter(use_integrated_lists=False, **words),
           "blocklist": URLFilter(use_integrated_lists=False, extra_domains=d2, extra_urls=u2)}
with open(os.path.join(tmp, "urls.jsonl"), "w") as docs:
    for i, u in enumerate(urls):
        docs.write(json.dumps({"id": str(i), "text": "x", "url": u}) + "\n")
for name, f in filters.items():
    with open(os.path.join(tmp, f"datatrove-{name}.jsonl"), "w") as out:
        for i, u in enumerate(urls):
            r = f.filter(Document(text="x", id=str(i), metadata={"url": u}))
            keep, reason = (r, None) if r is True else r
            out.write(json.dumps({"id": str(i), "url": u, "keep": keep, "reason": reason}) + "\n")
print(f"datatrove: {len(urls)} URLs")
PY

words="      banned_words: $assets/banned_words.txt
      banned_subwords: $assets/banned_subwords.txt
      soft_banned_words: $assets/soft_banned_words.txt"
printf 'stages:\n  - url_filter:\n      blocklists: %s\n%s\n' "$tmp/ut1" "$words" >"$tmp/all.yaml"
printf 'stages:\n  - url_filter:\n%s\n' "$words" >"$tmp/words.yaml"
printf 'stages:\n  - url_filter:\n      blocklists: %s\n' "$tmp/ut1b" >"$tmp/blocklist.yaml"
failures=0
for name in all words blocklist; do
  "$winnow" annotate "$tmp/urls.jsonl" --config "$tmp/$name.yaml" -o "$tmp/winnow-$name.jsonl" -q ||
    { echo "FAIL: winnow annotate ($name)"; failures=$((failures + 1)); continue; }
  echo -n "lists '$name': "
  /usr/bin/python3 - "$tmp/datatrove-$name.jsonl" "$tmp/winnow-$name.jsonl" "$name" <<'PY' || failures=$((failures + 1))
import collections, json, sys
want = [json.loads(l) for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2])]
assert len(want) == len(got), (len(want), len(got))
bad = 0
reasons = collections.Counter()
for w, g in zip(want, got):
    v = g["winnow"]["filters"]["url_filter"]
    reasons[w["reason"] or "kept"] += 1
    if (v["keep"], v["reason"]) != (w["keep"], w["reason"]):
        bad += 1
        if bad <= 20:
            print(f"DIFF {w['url']!r}: datatrove {w['keep']} {w['reason']}, winnow {v['keep']} {v['reason']}")
print(f"{len(want)} URLs, {bad} differ; datatrove's reasons: {dict(reasons)}")
# Every reason the lists can give must occur, or the comparison proves less than it claims.
expect = {"all": {"kept", "domain", "subdomain", "url", "hard_blacklisted", "soft_blacklisted", "blacklisted_subword"},
          "words": {"kept", "hard_blacklisted", "soft_blacklisted", "blacklisted_subword"},
          "blocklist": {"kept", "domain", "subdomain", "url"}}[sys.argv[3]]
if expect - set(reasons):
    print(f"FAIL: no URL was decided {sorted(expect - set(reasons))}")
    sys.exit(1)
sys.exit(1 if bad else 0)
PY
done
exit $((failures > 0))
