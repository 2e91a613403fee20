# pip-guard activation @VERSION@ (bash, zsh, sh): a venv active as its bin/activate makes it
# (VIRTUAL_ENV, VIRTUAL_ENV_PROMPT, its bin/ on PATH, PYTHONHOME unset, the prompt), with
# pip-guard's shims kept ahead of its bin/ so that `pip` still reaches pip-guard, which knows the
# venv in _PIP_GUARD_VENV as its own activation (the shims pass over its bin/). Shell built-ins
# only: the prompt hook runs these at every prompt.
_pip_guard_shims=@SHIMS@

# PATH without the entries equal to $1.
_pip_guard_path_without() {
  local p=":$PATH:"
  while :; do
    case $p in
      *":$1:"*) p="${p%%":$1:"*}:${p#*":$1:"}" ;;
      *) break ;;
    esac
  done
  p=${p#:}
  PATH=${p%:}
}

# The venv $1's name in the prompt: pyvenv.cfg's prompt (venv --prompt), else its directory's
# name; VIRTUAL_ENV_PROMPT as that venv's Python writes it ("(name) " before 3.12, "name" after).
_pip_guard_prompt_of() {
  local line minor=
  _pip_guard_name=${1##*/}
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      'prompt = '*) _pip_guard_name=${line#prompt = } ;;
      'version = 3.'*|'version_info = 3.'*) minor=${line#*= 3.}; minor=${minor%%.*} ;;
    esac
  done <"$1/pyvenv.cfg" 2>/dev/null
  case $_pip_guard_name in
    \'*\'|\"*\") _pip_guard_name=${_pip_guard_name#?}; _pip_guard_name=${_pip_guard_name%?} ;;
  esac
  _pip_guard_new_prompt=
  case $minor in 1[2-9]|[2-9][0-9]) _pip_guard_new_prompt=1 ;; esac
}

# Shows the venv _pip_guard_prompt_of named in PS1 once, as activate does, unless
# VIRTUAL_ENV_DISABLE_PROMPT is set. The name comes from a file in the project, so PS1 refers
# to it (_pip_guard_label) where the shell expands prompts, rather than holding it: a
# `$(…)` in somebody's pyvenv.cfg is shown, never run.
_pip_guard_show_prompt() {
  [ -z "${VIRTUAL_ENV_DISABLE_PROMPT-}" ] || return 0
  _pip_guard_label=$_pip_guard_name
  # By reference where the shell expands parameters in prompts (bash's promptvars, zsh's
  # prompt_subst, sh), else the name with the prompt's own escapes escaped.
  # shellcheck disable=SC2016
  _pip_guard_prefix='(${_pip_guard_label}) '
  if [ -n "${ZSH_VERSION-}" ]; then
    [[ -o promptsubst ]] || _pip_guard_prefix="(${_pip_guard_label//\%/%%}) "
  elif [ -n "${BASH_VERSION-}" ]; then
    shopt -q promptvars || _pip_guard_prefix="(${_pip_guard_label//\\/\\\\}) "
  fi
  case ${PS1-} in
    *"$_pip_guard_prefix"*) ;;
    *) PS1="$_pip_guard_prefix${PS1-}" ;;
  esac
}

# Activates venv $1: its bin/ right after the shims (or first, where they are not on PATH).
_pip_guard_on() {
  local p
  _pip_guard_path_without "$1/bin"
  case ":$PATH:" in
    *":$_pip_guard_shims:"*)
      p=":$PATH:"
      p="${p%%":$_pip_guard_shims:"*}:$_pip_guard_shims:$1/bin:${p#*":$_pip_guard_shims:"}"
      p=${p#:}
      PATH=${p%:}
      ;;
    *) PATH="$1/bin${PATH:+:$PATH}" ;;
  esac
  export PATH
  VIRTUAL_ENV=$1
  _PIP_GUARD_VENV=$1
  export VIRTUAL_ENV _PIP_GUARD_VENV
  if [ -n "${PYTHONHOME-}" ]; then
    _pip_guard_old_pythonhome=$PYTHONHOME
    unset PYTHONHOME
  fi
  _pip_guard_prompt_of "$1"
  _pip_guard_show_prompt
  if [ -n "$_pip_guard_new_prompt" ]; then
    VIRTUAL_ENV_PROMPT=$_pip_guard_name
    export VIRTUAL_ENV_PROMPT
  elif [ -z "${VIRTUAL_ENV_DISABLE_PROMPT-}" ]; then
    VIRTUAL_ENV_PROMPT="($_pip_guard_name) "
    export VIRTUAL_ENV_PROMPT
  fi
  _pip_guard_deactivate=1
  deactivate() {
    # Typed by hand where the prompt hook activated it: that project stays off until you leave it.
    local off=${_pip_guard_auto_root-}
    _pip_guard_off
    if [ -n "$off" ] && [ "${1-}" != nondestructive ]; then
      _PIP_GUARD_OFF=$off
      export _PIP_GUARD_OFF
    fi
  }
  hash -r 2>/dev/null
}

# Undoes _pip_guard_on, as far as it is still pip-guard's: a VIRTUAL_ENV that someone else set
# since stays, and so does a deactivate that is not pip-guard's.
_pip_guard_off() {
  local venv=${_PIP_GUARD_VENV-}
  if [ -n "$venv" ]; then
    [ "${VIRTUAL_ENV-}" = "$venv" ] && [ -n "${_OLD_VIRTUAL_PATH-}" ] || _pip_guard_path_without "$venv/bin"
    export PATH
    if [ "${VIRTUAL_ENV-}" = "$venv" ] && [ -z "${_OLD_VIRTUAL_PATH-}" ]; then
      unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
    fi
  fi
  unset _PIP_GUARD_VENV _PIP_GUARD_AUTO
  if [ -n "${_pip_guard_old_pythonhome+x}" ]; then
    PYTHONHOME=$_pip_guard_old_pythonhome
    export PYTHONHOME
    unset _pip_guard_old_pythonhome
  fi
  if [ -n "${_pip_guard_prefix-}" ]; then
    PS1=${PS1#"$_pip_guard_prefix"}
    unset _pip_guard_prefix
  fi
  unset _pip_guard_auto_root
  if [ -n "${_pip_guard_deactivate-}" ]; then
    unset -f deactivate
    unset _pip_guard_deactivate
  fi
  hash -r 2>/dev/null
}
