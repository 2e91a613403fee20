# pip-guard's prompt hook @VERSION@ (pip-guard init fish --activate): at each prompt and each
# change of directory, the venv of the project you are in is active, as pip-guard finds both
# (src/project.ts), and none outside a project; a venv or conda environment that somebody else
# activated is left alone until it is deactivated. Built-ins only, no process at all: what fish
# cannot decide by itself is left as it is.
# Your own config's venv.path, else .venv or venv/; the default venv outside any project, when
# your config's venv.activateDefault asks for it.
set -g _pip_guard_venv_path @VENV_PATH@
set -g _pip_guard_default @DEFAULT_VENV@

# Whether $argv[1] names pip-guard at all (package.json, pyproject.toml); unreadable counts as yes.
function _pip_guard_mentions
    test -e $argv[1]; or return 1
    test -r $argv[1]; or return 0
    string match -q '*pip-guard*' <$argv[1]
end

# Whether directory $argv[1] holds a pip-guard config file (config/candidates.ts's SEARCH_PLACES).
function _pip_guard_config_file
    for name in .pip-guardrc .pip-guardrc.json .pip-guardrc.yaml .pip-guardrc.yml .pip-guardrc.toml \
        pip-guard.config.js pip-guard.config.cjs pip-guard.config.mjs
        test -e $argv[1]/$name; and return 0
    end
    _pip_guard_mentions $argv[1]/package.json; or _pip_guard_mentions $argv[1]/pyproject.toml
end

# Whether directory $argv[1] is a project root (project.ts's isProjectRoot); $argv[2] is HOME.
function _pip_guard_is_root
    set -l dir $argv[1]
    for name in pyproject.toml setup.py setup.cfg
        test -e $dir/$name; and return 0
    end
    if test "$dir" != "$argv[2]"
        test -e $dir/.git; and return 0
        _pip_guard_config_file $dir; and return 0
    end
    test -e $dir/.venv/pyvenv.cfg; or test -e $dir/venv/pyvenv.cfg; and return 0
    for file in $dir/requirements*.txt
        test -e $file; and return 0
    end
    return 1
end

# Sets _pip_guard_root to the project around PWD: the nearest root at or above it, never above
# HOME and never / (project.ts's findProjectRoot).
function _pip_guard_find_root
    set -l dir $PWD
    set -l home (string replace -r '/$' '' -- $HOME)
    # A root found stays the answer for this PWD while it still is one.
    if test "$dir" = "$_pip_guard_root_of"; and test -n "$_pip_guard_root"; and _pip_guard_is_root $_pip_guard_root $home
        return
    end
    set -g _pip_guard_root_of $dir
    set -g _pip_guard_configured_of
    set -l ceiling
    string match -q -- "$home/*" "$dir/"; and set ceiling $home
    set -g _pip_guard_root
    while test -n "$dir"; and test "$dir" != /
        if _pip_guard_is_root $dir $home
            set _pip_guard_root $dir
            return
        end
        test "$dir" = "$ceiling"; and return
        set dir (string replace -r '/[^/]*$' '' -- $dir)
    end
end

function _pip_guard_is_venv
    test -d $argv[1]; and test -f $argv[1]/pyvenv.cfg; and test -x $argv[1]/bin/python
end

# Whether project $argv[1] has a config file, asked once until PWD changes (a config file made
# since is read by pip-guard, which then leaves its record).
function _pip_guard_configured
    if test "$argv[1]" != "$_pip_guard_configured_of"
        set -g _pip_guard_configured_of $argv[1]
        set -g _pip_guard_has_config
        _pip_guard_config_file $argv[1]; and set _pip_guard_has_config 1
    end
    test -n "$_pip_guard_has_config"
end

# Sets _pip_guard_target to the venv of project $argv[1] if it is usable ('' otherwise); returns
# 2 when only pip-guard could tell: a config file there may set venv.path, and pip-guard has not
# left its answer in its state directory (src/project-venvs.ts).
function _pip_guard_venv_of
    set -l state $XDG_STATE_HOME
    string match -q '/*' -- "$state"; or set state $HOME/.local/state
    set -l key (string replace -a % %25 -- $argv[1] | string replace -a / %2F)
    set -l record $state/pip-guard/projects/$key
    set -l venv
    set -g _pip_guard_target
    if test -f $record; and test -O $record
        read venv <$record
    else if set -q PIP_GUARD_CONFIG; or _pip_guard_configured $argv[1]
        return 2
    else if test -n "$_pip_guard_venv_path"
        set venv $argv[1]/$_pip_guard_venv_path
    else if test -e $argv[1]/.venv; or test -L $argv[1]/.venv
        set venv $argv[1]/.venv
    else if test -e $argv[1]/venv/pyvenv.cfg
        set venv $argv[1]/venv
    end
    test -n "$venv"; and _pip_guard_is_venv $venv; and set _pip_guard_target $venv
    return 0
end

# What pip-guard's activation left behind in somebody else's activate.fish (their saved PATH and
# prompt): cleared once theirs is gone, unless it is what is to be active now ($argv[1]).
function _pip_guard_clear_stale
    set -q _pip_guard_stale; or return 0
    if test "$_pip_guard_stale" != "$argv[1]"
        _pip_guard_path_without $_pip_guard_stale/bin
        _pip_guard_hide_prompt
    end
    set -e _pip_guard_stale
end

# A venv or conda environment somebody else activated (their activate saves _OLD_VIRTUAL_PATH):
# pip-guard's own activation steps back, and theirs stays.
function _pip_guard_release
    set -g _pip_guard_stale $_PIP_GUARD_VENV
    set -e _pip_guard_deactivate
    set -e _pip_guard_prefix
    _pip_guard_off
end

function _pip_guard_sync
    set -l auto $_PIP_GUARD_AUTO
    if begin
            test -n "$VIRTUAL_ENV"; and begin
                test "$VIRTUAL_ENV" != "$auto"; or set -q _OLD_VIRTUAL_PATH
            end
        end; or begin
            test -n "$CONDA_PREFIX"; and test -d $CONDA_PREFIX/conda-meta
        end
        test -n "$auto"; and _pip_guard_release
        return
    end
    _pip_guard_find_root
    set -l root $_pip_guard_root
    test -n "$root"; or set root -
    # `deactivate` typed in a project keeps its venv off until you leave the project.
    test "$_PIP_GUARD_OFF" = pending; and set -gx _PIP_GUARD_OFF $root
    set -q _PIP_GUARD_OFF; and test "$_PIP_GUARD_OFF" != "$root"; and set -e _PIP_GUARD_OFF
    set -g _pip_guard_target
    if set -q _PIP_GUARD_OFF
    else if test -n "$_pip_guard_root"
        if not _pip_guard_venv_of $_pip_guard_root
            test "$_pip_guard_auto_root" = "$root"; and return
        end
    else if test -n "$_pip_guard_default"; and _pip_guard_is_venv $_pip_guard_default
        set _pip_guard_target $_pip_guard_default
    end
    if test -n "$auto"; and test "$_pip_guard_target" = "$auto"; and test "$VIRTUAL_ENV" = "$auto"; and contains -- $auto/bin $PATH
        # Active already (a new shell inherits it, and shows it once in its own prompt).
        if not set -q _pip_guard_prefix
            _pip_guard_prompt_of $auto
            _pip_guard_show_prompt
        end
        return
    end
    test -n "$auto"; and _pip_guard_off
    _pip_guard_clear_stale "$_pip_guard_target"
    if test -n "$_pip_guard_target"
        _pip_guard_on $_pip_guard_target
        set -gx _PIP_GUARD_AUTO $_pip_guard_target
        set -g _pip_guard_auto_root $root
    end
end

# pipx's bin directory on PATH once it exists, as `pipx ensurepath` would add it.
function _pip_guard_pipx_path
    set -l bin $PIPX_BIN_DIR
    test -n "$bin"; or set bin $HOME/.local/bin
    string match -q '/*' -- $bin; or return 0
    contains -- $bin $PATH; and return 0
    test -d $bin; and set -gx PATH $PATH $bin
    return 0
end

function _pip_guard_hook --on-event fish_prompt --on-variable PWD
    set -l last $status
    _pip_guard_sync
    _pip_guard_pipx_path
    _pip_guard_restatus $last
end
