# Reading pip-guard's records (src/facts/records.ts): data, compared here, never run. A record is
# a first line naming the format, then fields, each a line "NAME COUNT" and COUNT lines of value.

# Reads the next value of a record on standard input: its line count was read into $count; joins
# that many lines into $value. A path may hold any character but NUL, a newline included.
record_value() {
  value=
  case $count in '' | *[!0-9]*) return 1 ;; esac
  value_lines=0
  while [ "$value_lines" -lt "$count" ]; do
    IFS= read -r value_line || return 1
    if [ "$value_lines" = 0 ]; then
      value=$value_line
    else
      value="$value
$value_line"
    fi
    value_lines=$((value_lines + 1))
  done
}
