# pip-guard init @SHELL@ @VERSION@: `python -m pip`, `python3 -m pip` and `python3.N -m pip` go
# through pip-guard's pip shim; everything else runs as the interpreter itself, in the process
# the shell would have started anyway. Only for names without a python shim of pip-guard's
# (shims/python.sh guards them, in any form and in scripts too): `python` in a venv, say.
# `function NAME` rather than `NAME()`: an alias such as python=python3 would otherwise be
# expanded in the definition, and redefine python3.
function _pip_guard_python {
  local _pip_guard_skip=0
  case ${2-} in
    -mpip) _pip_guard_skip=1 ;;
    -m) case ${3-} in pip) _pip_guard_skip=2 ;; esac ;;
  esac
  if [ "$_pip_guard_skip" = 0 ] || [ ! -x @PIP@ ]; then
    command "$@"
    return
  fi
  local _pip_guard_name=$1
  shift
  _PIP_GUARD_PYTHON=$_pip_guard_name _PIP_GUARD_PYTHON_ARGC=$_pip_guard_skip @PIP@ "$@"
}
