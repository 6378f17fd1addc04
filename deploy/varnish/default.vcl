vcl 4.1;
# Varnish in front of gunicorn: keeps the public pages the site marks `public, s-maxage=…`, passes everything
# else (the admin, staff with a session, writes, anything private or setting a cookie) straight to the site,
# and drops pages when the site purges them (ops/purge.py, PURGE_BACKEND=varnish), from loopback only.
# The backend below is gunicorn's address; tests and bench/varnish.py write their own port in its place.

import std;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # /healthz, asked as the TLS terminator in front of Varnish would: a host in ALLOWED_HOSTS (write yours),
    # and https, which the site would otherwise redirect to.
    .probe = {
        .request =
            "GET /healthz HTTP/1.1"
            "Host: 127.0.0.1"
            "X-Forwarded-Proto: https"
            "Connection: close";
        .interval = 5s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
        .initial = 2;  # healthy from the start: a page is tried rather than refused while the first probes run
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Purging is allowed from the site only."));
        }
        return (purge);
    }
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Banning is allowed from the site only."));
        }
        if (!req.http.X-Ban-Url) {
            return (synth(400, "A ban needs X-Ban-Url, a regular expression of paths."));
        }
        ban("obj.http.x-host == " + req.http.host + " && obj.http.x-url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|markdownx)/" || req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers' other cookies change nothing on a public page: one copy serves everyone.
    unset req.http.Cookie;
    # While the site answers, a stale page is served only as long as its stale-while-revalidate allows
    # (CDN_STALE_SECONDS); while it fails, for up to a day (stale-if-error).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Kept on the object for bans, which the ban lurker can test without the request.
    set beresp.http.x-url = bereq.url;
    set beresp.http.x-host = bereq.http.host;
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public" || beresp.http.Cache-Control ~ "private|no-store") {
        # Not kept; fetch straight from the site for the next two minutes without queueing behind each other.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # The time to live comes from s-maxage; stale copies are kept a day for when the site fails.
    set beresp.grace = 24h;
    set beresp.keep = 24h;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-url;
    unset resp.http.x-host;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
