"""Print one pip's option table as JSON, read from pip's own optparse parsers.

Run it with the interpreter whose pip you want (PYTHONPATH=pip-X.whl works too);
scripts/gen-pip-options.mjs merges several versions into src/pip-cli/options.ts.
"""
import json
import sys

import pip
from pip._internal.cli.main_parser import create_main_parser

try:
    from pip._internal.commands import commands_dict, create_command
except ImportError:  # pip < 19.3
    from pip._internal.commands import commands_dict

    def create_command(name):
        return commands_dict[name]()


def options(parser, skip=()):
    table = {}
    for option in parser._get_all_options():
        for name in option._long_opts + option._short_opts:
            if name not in skip:
                table[name] = [option.dest, option.action, bool(option.takes_value())]
    return table


general = options(create_main_parser())
commands = {name: options(create_command(name).parser, general) for name in sorted(commands_dict)}
json.dump({"version": pip.__version__, "global": general, "commands": commands}, sys.stdout, indent=1, sort_keys=True)
