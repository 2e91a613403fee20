# pip-guard init fish @VERSION@: `python -m pip`, `python3 -m pip` and `python3.N -m pip` go
# through pip-guard's pip shim; everything else runs as the interpreter itself, in the process
# the shell would have started anyway. Only for names without a python shim of pip-guard's
# (shims/python.sh guards them, in any form and in scripts too): `python` in a venv, say.
function _pip_guard_python
    # switch, not test: test reads arguments such as -c or ( as operators.
    set -l skip 0
    switch "$argv[2]"
        case -mpip
            set skip 1
        case -m
            switch "$argv[3]"
                case pip
                    set skip 2
            end
    end
    if test $skip = 0; or not test -x @PIP@
        command $argv
        return $status
    end
    set -l name $argv[1]
    set -e argv[1]
    _PIP_GUARD_PYTHON=$name _PIP_GUARD_PYTHON_ARGC=$skip @PIP@ $argv
end
