# pip-guard activation @VERSION@ (fish): a venv active as its bin/activate.fish makes it
# (VIRTUAL_ENV, VIRTUAL_ENV_PROMPT, its bin/ on PATH, PYTHONHOME unset, the prompt), with
# pip-guard's shims kept ahead of its bin/ so that `pip` still reaches pip-guard, which knows the
# venv in _PIP_GUARD_VENV as its own activation (the shims pass over its bin/). Built-ins only:
# the prompt hook runs these at every prompt.
set -g _pip_guard_shims @SHIMS@

function _pip_guard_path_without
    set -l at (contains -i -- $argv[1] $PATH)
    while test -n "$at"
        set -e PATH[$at]
        set at (contains -i -- $argv[1] $PATH)
    end
end

# The venv's name in the prompt: pyvenv.cfg's prompt (venv --prompt), else its directory's
# name; VIRTUAL_ENV_PROMPT as that venv's Python writes it ("(name) " before 3.12, "name" after).
function _pip_guard_prompt_of
    set -g _pip_guard_name (string split -r -m1 / -- $argv[1])[-1]
    set -g _pip_guard_new_prompt
    while read -l line
        switch $line
            case 'prompt = *'
                set _pip_guard_name (string replace -r '^prompt = ([\'"]?)(.*)\1$' '$2' -- $line)
            case 'version = 3.*' 'version_info = 3.*'
                set -l minor (string replace -r '^[^=]*= 3\.(\d+).*' '$1' -- $line)
                test "$minor" -ge 12 2>/dev/null; and set _pip_guard_new_prompt 1
        end
    end <$argv[1]/pyvenv.cfg 2>/dev/null
end

# Shows the venv _pip_guard_prompt_of named before fish_prompt's own, as activate.fish does,
# unless VIRTUAL_ENV_DISABLE_PROMPT is set.
function _pip_guard_show_prompt
    test -z "$VIRTUAL_ENV_DISABLE_PROMPT"; or return 0
    set -g _pip_guard_prefix "($_pip_guard_name) "
    _pip_guard_wraps_prompt; and return 0
    functions -e _pip_guard_fish_prompt
    functions -q fish_prompt; and functions -c fish_prompt _pip_guard_fish_prompt
    function fish_prompt
        set -l last $status
        printf '%s' $_pip_guard_prefix
        _pip_guard_restatus $last
        functions -q _pip_guard_fish_prompt; and _pip_guard_fish_prompt
    end
end

function _pip_guard_restatus
    return $argv[1]
end

# Whether fish_prompt is pip-guard's wrapper still (a prompt defined since is the user's).
function _pip_guard_wraps_prompt
    functions -q fish_prompt; and string match -q '*_pip_guard_prefix*' -- (functions fish_prompt)
end

function _pip_guard_hide_prompt
    set -e _pip_guard_prefix
    functions -q _pip_guard_fish_prompt; or return 0
    if _pip_guard_wraps_prompt
        functions -e fish_prompt
        functions -c _pip_guard_fish_prompt fish_prompt
    end
    functions -e _pip_guard_fish_prompt
end

# Activates the venv $argv[1]: its bin/ right after the shims (or first, where they are not on PATH).
function _pip_guard_on
    set -l venv $argv[1]
    _pip_guard_path_without $venv/bin
    if set -l at (contains -i -- $_pip_guard_shims $PATH)
        set -gx PATH $PATH[1..$at] $venv/bin $PATH[(math $at + 1)..-1]
    else
        set -gx PATH $venv/bin $PATH
    end
    set -gx VIRTUAL_ENV $venv
    set -gx _PIP_GUARD_VENV $venv
    if set -q PYTHONHOME
        set -g _pip_guard_old_pythonhome $PYTHONHOME
        set -e PYTHONHOME
    end
    _pip_guard_prompt_of $venv
    _pip_guard_show_prompt
    if test -n "$_pip_guard_new_prompt"
        set -gx VIRTUAL_ENV_PROMPT $_pip_guard_name
    else if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
        set -gx VIRTUAL_ENV_PROMPT "($_pip_guard_name) "
    end
    set -g _pip_guard_deactivate 1
    function deactivate
        # Typed by hand where the prompt hook activated it: that project stays off until you leave it.
        set -l off $_pip_guard_auto_root
        _pip_guard_off
        if test -n "$off"; and test "$argv[1]" != nondestructive
            set -gx _PIP_GUARD_OFF $off
        end
    end
end

# Undoes _pip_guard_on, as far as it is still pip-guard's: a VIRTUAL_ENV that someone else set
# since stays, and so does a deactivate that is not pip-guard's.
function _pip_guard_off
    set -l venv $_PIP_GUARD_VENV
    if test -n "$venv"
        set -l theirs (test "$VIRTUAL_ENV" = "$venv"; and set -q _OLD_VIRTUAL_PATH; and echo 1)
        test -n "$theirs"; or _pip_guard_path_without $venv/bin
        if test "$VIRTUAL_ENV" = "$venv"; and test -z "$theirs"
            set -e VIRTUAL_ENV
            set -e VIRTUAL_ENV_PROMPT
        end
    end
    set -e _PIP_GUARD_VENV
    set -e _PIP_GUARD_AUTO
    set -e _pip_guard_auto_root
    if set -q _pip_guard_old_pythonhome
        set -gx PYTHONHOME $_pip_guard_old_pythonhome
        set -e _pip_guard_old_pythonhome
    end
    set -q _pip_guard_prefix; and _pip_guard_hide_prompt
    if set -q _pip_guard_deactivate
        functions -e deactivate
        set -e _pip_guard_deactivate
    end
end
