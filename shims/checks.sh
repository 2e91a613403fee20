# Checking pip-guard's answers for the pip shim (src/run/shim-records.ts): each fact a record names,
# read and compared as the record is read; nothing in it is ever run.

# Whether file $1 holds text $2, its lines read as a record's value is (the last newline aside);
# with $3, whether its first $3 lines are that text (a pip's lines up to its version: the rest
# would cost a read a byte).
same_text() {
  [ -f "$1" ] && [ -r "$1" ] || return 1
  text=
  text_lines=0
  while [ -z "${3-}" ] || [ "$text_lines" -lt "$3" ]; do
    IFS= read -r text_line || [ -n "$text_line" ] || break
    if [ "$text_lines" = 0 ]; then
      text=$text_line
    else
      text="$text
$text_line"
    fi
    text_lines=$((text_lines + 1))
  done <"$1"
  [ "$text" = "$2" ]
}

# Whether every fact that pip-guard's record $1 names still holds, checked field by field as it
# is read: the environment that places pip's and pip-guard's files, the real pip's first lines
# and the Python they name, files that must be there or not, the text of the config files that
# are. The first field that no longer holds, or that this shim does not know, sends the command
# to pip-guard. Sets scope, pip, and the notice before and after the command's name from it. Only a file of this user's: under
# `sudo -E` somebody else's would decide what root runs.
record_holds() {
  scope=
  pip=
  notice=
  after=
  [ -f "$1" ] && [ -O "$1" ] || return 1
  {
    IFS= read -r record_line && [ "$record_line" = '@HEADER@' ] || return 1
    while IFS=' ' read -r key count; do
      record_value || return 1
      case $key in
        env) [ "@ENV_SNAPSHOT@" = "$value" ] || return 1 ;;
        real) [ "$real" = "$value" ] || return 1 ;;
        line) IFS= read -r head_line <&3 && [ "$head_line" = "$value" ] || return 1 ;;
        same) same=$value ;;
        as) [ "$same" -ef "$value" ] || return 1 ;;
        present) [ -e "$value" ] || return 1 ;;
        absent) ! [ -e "$value" ] || return 1 ;;
        file) file=$value ;;
        text) same_text "$file" "$value" || return 1 ;;
        head) same_text "$file" "$value" "$count" || return 1 ;;
        venv) [ "$value" = "${venv-}" ] || return 1 ;;
        scope) scope=$value ;;
        pip) pip=$value ;;
        notice) notice=$value ;;
        after) after=$value ;;
        *) return 1 ;;
      esac
    done
  } 2>/dev/null <"$1" 3<"$real"
}
