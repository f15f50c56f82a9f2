#!/bin/sh
# A stand-in for sudo in the runner's privilege tests (it grants nothing). Like sudo, it
# takes -n, or -S with -p PROMPT, then "--" and the command; with -S it prints PROMPT on
# stderr and reads the password line from stdin only when it "needs" a password, that is
# unless a file sudo.nopasswd lies beside it (a NOPASSWD rule, or cached credentials).
# It records how it was called in files beside itself: sudo.argv, sudo.env, sudo.password
# (the line it read), and guard.stdin (everything the command read on its stdin afterwards,
# copied by tee). A file sudo.forge beside it is printed on its stdout first: sudo's stdout
# is the guard's status channel, so this is how a test writes invalid status records.
here=$(dirname "$0")
printf '%s\n' "$@" > "$here/sudo.argv"
env > "$here/sudo.env"
rm -f "$here/sudo.password"
stdin_password=0
prompt=""
while [ $# -gt 0 ]; do
    case "$1" in
        -S) stdin_password=1; shift ;;
        -n) shift ;;
        -p) prompt=$2; shift 2 ;;
        --) shift; break ;;
        *) break ;;
    esac
done
if [ "$stdin_password" = 1 ] && [ ! -e "$here/sudo.nopasswd" ]; then
    printf '%s' "$prompt" >&2
    IFS= read -r password
    printf '%s' "$password" > "$here/sudo.password"
fi
[ -e "$here/sudo.forge" ] && cat "$here/sudo.forge"
: > "$here/guard.stdin"
# The command's stdin goes through tee, which records it; EOF still reaches the command.
# tee writes nothing on our stdout/stderr (the guard's channels), and we exec the command.
fifo="$here/guard.fifo"
rm -f "$fifo"
mkfifo "$fifo"
# (A background job's stdin would be /dev/null: hand it ours through fd 3.)
exec 3<&0
tee -a "$here/guard.stdin" <&3 > "$fifo" 2>/dev/null &
exec 3<&-
exec "$@" < "$fifo"
