#!/bin/sh
# A stand-in for sudo in the runner's privilege tests (it grants nothing): records how it
# was called (argv, environment, and the password line `sudo -S` reads from stdin) in
# files beside itself, then runs the command, leaving the rest of stdin to it.
here=$(dirname "$0")
printf '%s\n' "$@" > "$here/sudo.argv"
env > "$here/sudo.env"
case "$1" in
    -S) IFS= read -r password; printf '%s' "$password" > "$here/sudo.password"; shift 3 ;;
    -n) shift ;;
esac
[ "$1" = "--" ] && shift
exec "$@"
