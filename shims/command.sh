#!/bin/sh
# pip-guard shim @VERSION@ (a command of a project's venv): written when pip installed it into a
# venv pip-guard vetted, removed by `pip-guard teardown`. Inside a project whose venv has this
# command, it runs that venv's; anywhere else, the next command of this name on PATH, or none
# (127, as the shell says), naming the projects whose venvs have it. As pyenv's shims do after
# `pyenv rehash`. Shell built-ins only, then exec.
name=${0##*/}

@COMMON@

@RECORDS@

@PROJECT@

# The next command of this name on PATH, or 127 with the projects that have one.
run_next() {
  find_real "$name" ''
  [ -n "$real" ] && exec "$real" "$@"
  projects=
  state_dir
  if [ -n "$state" ] && [ -f "$state/commands/$name" ] && [ -O "$state/commands/$name" ]; then
    {
      IFS= read -r record_line && [ "$record_line" = 'pip-guard record 1' ] &&
        while IFS=' ' read -r key count; do
          record_value || break
          case $key in
            root) project=$value ;;
            venv) [ -x "$value/bin/$name" ] && projects="$projects${projects:+, }$project" ;;
          esac
        done
    } <"$state/commands/$name"
  fi
  if [ -n "$projects" ]; then
    echo "pip-guard: $name: command not found here; the venv of $projects has it (run it from there, or with \`pip-guard run $name\` there)" >&2
  else
    echo "$name: command not found" >&2
  fi
  exit 127
}

[ "$aside" = 1 ] && run_next "$@"
if chosen_environment; then
  [ -f "$chosen/bin/$name" ] && [ -x "$chosen/bin/$name" ] && exec "$chosen/bin/$name" "$@"
  run_next "$@"
fi
find_project
[ -n "$venv" ] && [ -f "$venv/bin/$name" ] && [ -x "$venv/bin/$name" ] && exec "$venv/bin/$name" "$@"
run_next "$@"
