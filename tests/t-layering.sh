#!/usr/bin/env bash
# The one-way data flow, checked: ui/ never includes transport headers, src/
# never includes curses, and only the glue files include their library.
. "$(dirname "$0")/lib.sh"
cd "$T_TOP"

bad=$(grep -lE '#include[[:space:]]*[<"](curl/|hiredis/|libpq-fe\.h|uv\.h)' ui/*.c ui/*.h 2>/dev/null)
expect_eq "ui-no-transport-headers" "" "$bad"
bad=$(grep -lE '#include[[:space:]]*[<"](n?curses(w)?\.h|ncursesw/|term\.h)' src/*.c src/*.h 2>/dev/null)
expect_eq "src-no-curses" "" "$bad"
bad=$(grep -lE '#include[[:space:]]*<curl/' src/*.c | grep -vE 'src/(net-http|main)\.c$')
expect_eq "curl-only-in-net-http" "" "$bad"
bad=$(grep -nE '\b(PQexec|curl_easy_perform|redisConnect|sleep|usleep|napms)[[:space:]]*\(' src/*.c ui/*.c)
expect_eq "no-blocking-calls-on-the-loop" "" "$bad"
t_done
