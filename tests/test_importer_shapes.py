"""Reading the shapes real ideas pages take (issue 11, part A): six pages in tests/data/ideas/, each in one shape.

Each page has at least eight projects and page furniture around them. The tests check every project's
stated fields, that no furniture becomes a project, and the report lines (`skipped` and `problems`).
No app and no database: tests/test_importer.py covers the `pioneer import` command.
"""

import re
from pathlib import Path

import pytest

from pioneer.importer import ParseResult, parse_wiki
from pioneer.importer.mapping import DIFFICULTY_WORDS, hours_from_size, read_mentors
from pioneer.importer.shapes import FURNITURE
from pioneer.models import Stars, TimeRating

IDEAS = Path(__file__).parent / "data" / "ideas"
FIELD_LINE_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?\**(difficulty|mentors?|mentor\(s\)|expected size|project size|size|skills|rating|"
    r"expected outcome|intensity|length|tech stack)\b[^:]*:",
    re.IGNORECASE,
)

PAGES = {
    'bold_labels': {
        "projects": [
            {
                'line': 13,
                'title': 'Colour picker widget',
                'area': None,
                'stars': 2,
                'stars_source': 'Difficulty: easy',
                'time': 3,
                'time_source': 'Expected size of project: 90 hours',
                'mentors': ['Ada Brook', 'tkoval'],
                'mentor_details': [
                    ('Ada Brook', None, None, 'ada@lumen.example'),
                    ('tkoval', 'tkoval', 'https://github.com/tkoval', None),
                ],
                'skills': ['typescript', 'css'],
                'outcomes': 'A picker merged into the editor, with tests.',
                'links': [('repository', 'https://git.lumen.example/editor', '')],
                'summary': "A colour picker for the editor's side panel, with a hex field and a hue wheel.",
            },
            {
                'line': 25,
                'title': 'SVG import for shapes',
                'area': None,
                'stars': 4,
                'stars_source': 'Difficulty: medium to hard',
                'time': 5,
                'time_source': 'Expected size of project: ~350 hours (large)',
                'mentors': ['Ada Brook'],
                'skills': ['rust', 'svg format'],
                'outcomes': "Importing the test suite's SVG files gives the same picture.",
                'links': [('issue', 'https://git.lumen.example/editor/issues/412', '#412')],
                'summary': 'Read simple SVG files (paths, rectangles, circles) into the shape layer.',
            },
            {
                'line': 40,
                'title': 'Undo history panel',
                'area': None,
                'stars': 2,
                'stars_source': 'Difficulty: Easy – a good first project, the model already exists',
                'time': 4,
                'time_source': 'Expected size of project: 90 or 175 hours',
                'mentors': ['Ada Brook'],
                'mentor_details': [('Ada Brook', None, None, 'ada@lumen.example')],
                'skills': ['typescript'],
                'outcomes': 'A history panel in the side bar.',
                'summary': 'Show the undo history as a list, so a person can jump back several steps at once.',
            },
            {
                'line': 50,
                'title': 'GPU blur filter',
                'area': None,
                'stars': 4,
                'stars_source': 'Difficulty: hard',
                'time': 4,
                'time_source': 'Expected size of project: 175 hours',
                'mentors': ['mirren'],
                'mentor_details': [('mirren', 'mirren', None, None)],
                'skills': ['wgsl', 'rust'],
                'outcomes': 'The blur runs at least five times faster on a laptop GPU.',
                'summary': 'Port the Gaussian blur to a compute shader and keep the CPU path as a fallback.',
            },
            {
                'line': 60,
                'title': 'Keyboard shortcut editor',
                'area': None,
                'stars': 1,
                'stars_source': 'Difficulty: beginner',
                'time': 3,
                'time_source': 'Expected size of project: small (90 hours)',
                'mentors': [],
                'needs_mentor': True,
                'skills': ['typescript', 'html'],
                'outcomes': 'Bindings can be edited, saved and loaded.',
                'summary': 'Let people rebind shortcuts and export their bindings as a file.',
            },
            {
                'line': 70,
                'title': 'Brush engine profiling',
                'area': None,
                'stars': 4,
                'stars_source': 'Difficulty: 4/5',
                'time': 4,
                'time_source': 'Expected size of project: 175 hours',
                'mentors': ['Tomas Koval'],
                'mentor_details': [('Tomas Koval', 'tkoval', 'https://github.com/tkoval', None)],
                'skills': ['rust', 'profiling'],
                'outcomes': 'A profile report and two merged speed-ups.',
                'summary': 'Find where the brush engine spends its time and fix the two worst spots.',
            },
            {
                'line': 81,
                'title': 'Palette sharing',
                'area': None,
                'stars': 3,
                'stars_source': 'Difficulty: intermediate',
                'time': 4,
                'time_source': 'Expected size of project: Medium project – 175 hours',
                'mentors': ['Mirren Hale'],
                'skills': ['typescript'],
                'outcomes': 'Palettes travel between documents.',
                'summary': 'Share colour palettes between documents through a small file format.',
            },
            {
                'line': 91,
                'title': 'Accessibility audit of the toolbar',
                'area': None,
                'stars': 2,
                'stars_source': 'Difficulty: easy',
                'time': 3,
                'time_source': 'Expected size of project: 2 weeks',
                'mentors': ['Mirren Hale', 'tkoval'],
                'mentor_details': [
                    ('Mirren Hale', None, None, None),
                    ('tkoval', 'tkoval', 'https://github.com/tkoval', None),
                ],
                'skills': ['html', 'aria'],
                'outcomes': 'Every toolbar button is announced with its name.',
                'summary': 'Check the toolbar with a screen reader and fix what it cannot announce.',
            },
        ],
        'skipped': [
            "line 5: skipped 'How to apply' (page furniture, not a project)",
            "line 101: skipped 'Past editions' (page furniture, not a project)",
            "line 110: skipped 'Template' (page furniture, not a project)",
        ],
        'problems': [
            "line 79: unknown label 'Favourite snack'; the line is kept in the description",
        ],
    },
    'plain_labels': {
        "projects": [
            {
                'line': 13,
                'title': 'Elevation-aware cycling profile',
                'area': 'Routing engine',
                'stars': 3,
                'stars_source': 'Difficulty level: intermediate',
                'time': 4,
                'time_source': 'Project size: 175 hours',
                'mentors': ['Ines Okafor', 'bramvd'],
                'mentor_details': [('Ines Okafor', None, None, None), ('bramvd', 'bramvd', None, None)],
                'skills': ['c++', 'python'],
                'outcomes': '- A cycling profile that prefers flat roads\n- A benchmark against the old profile',
                'summary': 'Cyclists avoid steep climbs when they can.',
            },
            {
                'line': 36,
                'title': 'Turn restrictions from relations',
                'area': 'Routing engine',
                'stars': 4,
                'stars_source': 'Difficulty level: hard',
                'time': 5,
                'time_source': 'Project size: 350 hours',
                'mentors': ['Ines Okafor'],
                'skills': ['c++', 'graph algorithms'],
                'outcomes': '- Routes that never take a forbidden turn',
                'summary': "Read turn restrictions from the map's relations and respect them when routing cars.",
            },
            {
                'line': 56,
                'title': 'Ferry connections',
                'area': 'Routing engine',
                'stars': 3,
                'stars_source': 'Difficulty level: medium',
                'time': 3,
                'time_source': 'Project size: 90 hours',
                'mentors': [],
                'needs_mentor': True,
                'skills': ['c++'],
                'outcomes': '- Routes across a lake use the ferry when it is faster',
                'summary': 'Treat ferry lines as edges with a waiting time taken from their timetable.',
            },
            {
                'line': 75,
                'title': 'Isochrone maps',
                'area': 'Routing engine',
                'stars': 3,
                'stars_source': 'Difficulty level: Medium',
                'time': 4,
                'time_source': 'Project size: 175 hours',
                'mentors': ['bramvd', 'Lotte Vermeer'],
                'mentor_details': [('bramvd', 'bramvd', None, None), ('Lotte Vermeer', None, None, None)],
                'skills': ['c++', 'computational geometry'],
                'outcomes': '- An isochrone endpoint with a demo page',
                'summary': 'Compute the area reachable within a given time and return it as a polygon.',
            },
            {
                'line': 98,
                'title': 'Offline map tiles',
                'area': 'Web client',
                'stars': 2,
                'stars_source': 'Difficulty level: easy',
                'time': 3,
                'time_source': 'Project size: 90 hours',
                'mentors': ['Lotte Vermeer'],
                'skills': ['javascript', 'service workers'],
                'outcomes': '- A route can be opened offline',
                'summary': 'Cache the tiles of a planned route so the map still works without a signal.',
            },
            {
                'line': 118,
                'title': 'GPX export',
                'area': 'Web client',
                'stars': 1,
                'stars_source': 'Difficulty level: beginner',
                'time': 3,
                'time_source': 'Project size: 2 weeks',
                'mentors': ['Lotte Vermeer'],
                'skills': ['javascript'],
                'outcomes': '- A download button that writes a valid GPX file',
                'summary': 'Let people download a planned route as a GPX track for their bike computer.',
            },
            {
                'line': 137,
                'title': 'Dark map style',
                'area': 'Web client',
                'stars': 2,
                'stars_source': 'Difficulty level: easy',
                'time': 3,
                'time_source': 'Project size: 90 hours',
                'mentors': [],
                'needs_mentor': True,
                'skills': ['css'],
                'outcomes': "- The map follows the system's colour scheme",
                'summary': 'A dark style for the map, chosen automatically when the system asks for it.',
            },
            {
                'line': 156,
                'title': 'Route comparison view',
                'area': 'Web client',
                'stars': 4,
                'stars_source': 'Difficulty level: medium to hard',
                'time': 5,
                'time_source': 'Project size: 350 hours',
                'mentors': ['Ines Okafor', 'Lotte Vermeer'],
                'skills': ['typescript', 'data visualisation'],
                'outcomes': '- A comparison view reachable from the planner',
                'summary': 'Show two routes side by side with their distance, climb and time.',
            },
        ],
        'skipped': [
            "line 6: skipped 'Rules' (page furniture, not a project)",
            "line 177: skipped 'Mentors' (page furniture, not a project)",
        ],
        'problems': [
        ],
    },
    'kv_tables': {
        "projects": [
            {
                'line': 14,
                'title': 'Conflict-free list merging',
                'area': 'Sync protocol',
                'stars': 4,
                'stars_source': 'Difficulty: Hard',
                'time': 5,
                'time_source': 'Size: 350 hours',
                'mentors': ['Rosa Lindqvist', 'yuto'],
                'mentor_details': [
                    ('Rosa Lindqvist', 'rosal', 'https://codeberg.org/rosal', None),
                    ('yuto', 'yuto', None, None),
                ],
                'skills': ['go', 'crdts'],
                'outcomes': 'Two devices editing one list offline never lose an item.',
                'summary': '',
            },
            {
                'line': 23,
                'title': 'Delta compression for attachments',
                'area': 'Sync protocol',
                'stars': 3,
                'stars_source': 'Difficulty: Medium',
                'time': 4,
                'time_source': 'Size: 175 hours',
                'mentors': ['Rosa Lindqvist'],
                'skills': ['go'],
                'outcomes': 'Re-uploading an edited attachment sends only the changed blocks.',
                'summary': '',
            },
            {
                'line': 32,
                'title': 'Protocol fuzzing harness',
                'area': 'Sync protocol',
                'stars': 3,
                'stars_source': 'Difficulty: Medium',
                'time': 3,
                'time_source': 'Size: 90 hours',
                'mentors': ['yuto'],
                'mentor_details': [('yuto', 'yuto', None, None)],
                'skills': ['go', 'fuzzing'],
                'outcomes': 'A fuzzing target per message type, run in CI.',
                'summary': '',
            },
            {
                'line': 41,
                'title': 'Sync status endpoint',
                'area': 'Sync protocol',
                'stars': 2,
                'stars_source': 'Difficulty: Easy',
                'time': 3,
                'time_source': 'Size: 90 hours',
                'mentors': [],
                'needs_mentor': True,
                'skills': ['go'],
                'outcomes': 'Clients can ask how far behind they are.',
                'summary': '',
            },
            {
                'line': 50,
                'title': 'Markdown preview in the desktop client',
                'area': 'Clients',
                'stars': 2,
                'stars_source': 'Difficulty: Easy',
                'time': 4,
                'time_source': 'Size: 175 hours',
                'mentors': ['Hana Ito'],
                'skills': ['rust', 'gtk'],
                'outcomes': '',
                'links': [('repository', 'https://code.quill.example/desktop', '')],
                'summary': 'Render the note being edited beside the editor, scrolled in step with it.',
            },
            {
                'line': 62,
                'title': 'Voice notes on Android',
                'area': 'Clients',
                'stars': 3,
                'stars_source': 'Difficulty: 3/5',
                'time': 4,
                'time_source': 'Size: 175 hours',
                'mentors': ['Hana Ito', 'Rosa Lindqvist'],
                'skills': ['kotlin'],
                'outcomes': 'Voice notes sync like any attachment.',
                'summary': 'Record a voice note and attach it to the current note, with a waveform preview.',
            },
            {
                'line': 74,
                'title': 'Tag autocomplete',
                'area': 'Clients',
                'stars': 1,
                'stars_source': 'Difficulty: Beginner',
                'time': 3,
                'time_source': 'Size: 90 hours',
                'mentors': ['yuto'],
                'mentor_details': [('yuto', 'yuto', None, None)],
                'skills': ['typescript'],
                'outcomes': '',
                'summary': 'Suggest existing tags while a person types one, in every client.',
            },
            {
                'line': 86,
                'title': 'Reading mode for long notes',
                'area': 'Clients',
                'stars': 2,
                'stars_source': 'Difficulty: easy',
                'time': 3,
                'time_source': 'Size: 2 weeks',
                'mentors': ['Hana Ito'],
                'skills': ['css'],
                'outcomes': '',
                'links': [('issue', 'https://code.quill.example/desktop/issues/77', '')],
                'summary': 'A distraction-free view with a comfortable line length and a reading-time estimate.',
            },
        ],
        'skipped': [
            "line 6: skipped 'Before you apply' (page furniture, not a project)",
            "line 98: skipped 'Past editions' (page furniture, not a project)",
        ],
        'problems': [
            "line 84: unknown label 'Mood'; the value is kept in the description",
        ],
    },
    'list_table': {
        "projects": [
            {
                'line': 13,
                'title': 'Tide gauge importer',
                'area': None,
                'stars': 2,
                'stars_source': 'Intensity: Low',
                'time': 3,
                'time_source': 'Length: 90 hours',
                'mentors': ['Marta Quispe'],
                'skills': ['python', 'csv'],
                'outcomes': '',
                'links': [('other', 'https://tide.example/issues/3', '')],
                'summary': "Read tide gauge records from the national archive into the model's input format.",
            },
            {
                'line': 14,
                'title': 'Storm surge ensemble runner',
                'area': None,
                'stars': 4,
                'stars_source': 'Intensity: High',
                'time': 5,
                'time_source': 'Length: 350 hours',
                'mentors': ['Marta Quispe', 'okello'],
                'mentor_details': [('Marta Quispe', None, None, None), ('okello', 'okello', None, None)],
                'skills': ['python', 'mpi'],
                'outcomes': '',
                'summary': 'Run many surge scenarios at once on a cluster and collect their results.',
            },
            {
                'line': 15,
                'title': 'Flood map tiles',
                'area': None,
                'stars': 3,
                'stars_source': 'Intensity: Medium',
                'time': 4,
                'time_source': 'Length: 175 hours',
                'mentors': ['okello'],
                'mentor_details': [('okello', 'okello', None, None)],
                'skills': ['javascript', 'leaflet'],
                'outcomes': '',
                'summary': 'Publish flood depth maps as web tiles that any map viewer can show.',
            },
            {
                'line': 16,
                'title': 'Unit conversion audit',
                'area': None,
                'stars': 2,
                'stars_source': 'Intensity: Low',
                'time': 3,
                'time_source': 'Length: 90 hours',
                'mentors': [],
                'needs_mentor': True,
                'skills': ['python'],
                'outcomes': '',
                'summary': 'Check that every input is converted to metres and seconds exactly once.',
            },
            {
                'line': 17,
                'title': 'Mesh refinement near rivers',
                'area': None,
                'stars': 4,
                'stars_source': 'Intensity: High',
                'time': 5,
                'time_source': 'Length: 350 hours',
                'mentors': ['Jonas Eriksen'],
                'skills': ['fortran', 'numerical methods'],
                'outcomes': '',
                'summary': 'Refine the computing mesh where rivers meet the sea.',
            },
            {
                'line': 18,
                'title': 'Notebook tutorials',
                'area': None,
                'stars': 2,
                'stars_source': 'Intensity: Low',
                'time': 3,
                'time_source': 'Length: 2 weeks',
                'mentors': ['Marta Quispe'],
                'skills': ['jupyter'],
                'outcomes': '',
                'summary': 'Write three notebooks that walk a newcomer through a first flood model.',
            },
            {
                'line': 19,
                'title': 'Sea level scenario picker',
                'area': None,
                'stars': 3,
                'stars_source': 'Intensity: Medium',
                'time': 4,
                'time_source': 'Length: 175 hours',
                'mentors': ['Jonas Eriksen'],
                'skills': ['python', 'qt'],
                'outcomes': '',
                'summary': 'Let a user choose a sea level rise scenario from a list of published ones.',
            },
            {
                'line': 20,
                'title': 'Result comparison report',
                'area': None,
                'stars': 3,
                'stars_source': 'Intensity: Medium',
                'time': 4,
                'time_source': 'Length: 175 hours',
                'mentors': ['okello'],
                'mentor_details': [('okello', 'okello', None, None)],
                'skills': ['python', 'matplotlib'],
                'outcomes': '',
                'summary': 'Compare two model runs and write the differences as an HTML report.',
            },
        ],
        'skipped': [
            "line 5: skipped 'How to apply' (page furniture, not a project)",
            "line 22: skipped 'Rules' (page furniture, not a project)",
        ],
        'problems': [
        ],
    },
    'sections': {
        "projects": [
            {
                'line': 5,
                'title': 'Incremental type checking',
                'area': 'Compilers',
                'stars': 4,
                'stars_source': 'Difficulty: hard',
                'time': 5,
                'time_source': 'Project size: 350 hours',
                'mentors': ['Priya Natarajan', 'Oskar Lind'],
                'skills': ['ocaml', 'type theory'],
                'outcomes': 'Re-checking after a one-line edit takes under a tenth of a second.',
                'summary': 'Re-check only the functions whose types could have changed after an edit.',
            },
            {
                'line': 21,
                'title': 'Better error messages for pattern matching',
                'area': 'Compilers',
                'stars': 3,
                'stars_source': 'Difficulty: medium',
                'time': 4,
                'time_source': 'Project size: 175 hours',
                'mentors': ['Oskar Lind'],
                'skills': ['ocaml'],
                'outcomes': 'Every non-exhaustive match names a missing case.',
                'summary': 'Point at the exact missing case when a match is not exhaustive.',
            },
            {
                'line': 31,
                'title': 'Constant folding pass',
                'area': 'Compilers',
                'stars': 2,
                'stars_source': 'Difficulty: easy',
                'time': 3,
                'time_source': 'Project size: 90 hours',
                'mentors': ['Priya Natarajan'],
                'skills': ['ocaml', 'compilers'],
                'outcomes': 'The folding pass and its tests.',
                'summary': 'Fold constant arithmetic in the intermediate language before code generation.',
            },
            {
                'line': 41,
                'title': 'WebAssembly back end',
                'area': 'Compilers',
                'stars': 5,
                'stars_source': 'Difficulty: very hard',
                'time': 5,
                'time_source': 'Project size: 350 hours',
                'mentors': ['lind-o', 'Priya Natarajan'],
                'mentor_details': [('lind-o', 'lind-o', None, None), ('Priya Natarajan', None, None, None)],
                'skills': ['ocaml', 'webassembly'],
                'outcomes': 'The test suite passes on the WebAssembly back end.',
                'summary': 'Emit WebAssembly from the intermediate language so programs run in a browser.',
            },
            {
                'line': 55,
                'title': 'Language server hover types',
                'area': 'Tooling',
                'stars': 3,
                'stars_source': 'Difficulty: medium',
                'time': 4,
                'time_source': 'Project size: 175 hours',
                'mentors': ['Ewa Sobczak'],
                'skills': ['ocaml', 'lsp'],
                'outcomes': 'Hovering shows a type in two editors.',
                'summary': 'Show the type of the expression under the cursor in any editor that speaks the '
                'language server protocol.',
            },
            {
                'line': 65,
                'title': 'Lock files for the package manager',
                'area': 'Tooling',
                'stars': 3,
                'stars_source': 'Difficulty: medium',
                'time': 4,
                'time_source': 'Project size: 175 hours',
                'mentors': ['Ewa Sobczak'],
                'skills': ['rust'],
                'outcomes': 'Two builds from one lock file give identical outputs.',
                'summary': 'Record the exact versions chosen by the solver so builds can be repeated.',
            },
            {
                'line': 79,
                'title': 'Documentation search',
                'area': 'Tooling',
                'stars': 2,
                'stars_source': 'Difficulty: easy',
                'time': 3,
                'time_source': 'Project size: 90 hours',
                'mentors': ['Ewa Sobczak'],
                'skills': ['javascript'],
                'outcomes': 'Searching for a type finds the functions that return it.',
                'summary': 'Search the generated documentation by name and by type signature.',
            },
            {
                'line': 89,
                'title': 'Formatter for the configuration files',
                'area': 'Tooling',
                'stars': 1,
                'stars_source': 'Difficulty: beginner',
                'time': 3,
                'time_source': 'Project size: 2 weeks',
                'mentors': [],
                'needs_mentor': True,
                'skills': ['ocaml'],
                'outcomes': 'The formatter is idempotent on every file of the repository.',
                'summary': 'Format configuration files the same way the code formatter formats source.',
            },
        ],
        'skipped': [
            "line 99: skipped 'How to apply' (page furniture, not a project)",
            "line 105: skipped 'Past editions' (page furniture, not a project)",
        ],
        'problems': [
        ],
    },
    'size_headings': {
        "projects": [
            {
                'line': 10,
                'title': 'Retention policy command',
                'area': None,
                'stars': 2,
                'stars_source': 'Rating: 2/5',
                'time': 3,
                'time_source': 'Small (90 hours)',
                'mentors': ['hkaur'],
                'mentor_details': [('hkaur', 'hkaur', 'https://github.com/hkaur', None)],
                'skills': ['go'],
                'outcomes': 'The command and its documentation.',
                'summary': 'Delete data older than a configured age with one command.',
            },
            {
                'line': 19,
                'title': 'Metrics for the write path',
                'area': None,
                'stars': 2,
                'stars_source': 'Rating: 2/5',
                'time': 3,
                'time_source': 'Small (90 hours)',
                'mentors': ['Hugo Marchand'],
                'mentor_details': [('Hugo Marchand', 'hmarchand', None, 'hugo@orchard.example')],
                'skills': ['go', 'prometheus'],
                'outcomes': 'A dashboard shows the write path at a glance.',
                'summary': 'Export counters for writes, flushes and compactions.',
            },
            {
                'line': 28,
                'title': 'CSV import',
                'area': None,
                'stars': 1,
                'stars_source': 'Rating: 1/5',
                'time': 3,
                'time_source': 'Small (90 hours)',
                'mentors': [],
                'needs_mentor': True,
                'skills': ['go'],
                'outcomes': 'Importing a year of values takes one command.',
                'summary': 'Import a CSV file of timestamped values into a series.',
            },
            {
                'line': 39,
                'title': 'Downsampling queries',
                'area': None,
                'stars': 3,
                'stars_source': 'Rating: 3/5',
                'time': 4,
                'time_source': 'Medium (175 hours)',
                'mentors': ['hkaur', 'tbaptiste'],
                'mentor_details': [
                    ('hkaur', 'hkaur', 'https://github.com/hkaur', None),
                    ('tbaptiste', 'tbaptiste', 'https://github.com/tbaptiste', None),
                ],
                'skills': ['go', 'sql'],
                'outcomes': 'A year of minute data is charted in under a second.',
                'summary': 'Answer queries over long ranges from pre-computed averages.',
            },
            {
                'line': 48,
                'title': 'Backup to object storage',
                'area': None,
                'stars': 3,
                'stars_source': 'Rating: 3/5',
                'time': 4,
                'time_source': 'Medium (175 hours)',
                'mentors': ['Hugo Marchand'],
                'mentor_details': [('Hugo Marchand', 'hmarchand', None, 'hugo@orchard.example')],
                'skills': ['go'],
                'outcomes': 'A restore from the store gives back every point.',
                'summary': 'Stream consistent snapshots to any S3-compatible store.',
            },
            {
                'line': 57,
                'title': 'Query planner statistics',
                'area': None,
                'stars': 4,
                'stars_source': 'Rating: 4/5',
                'time': 4,
                'time_source': 'Medium (175 hours)',
                'mentors': ['tbaptiste'],
                'mentor_details': [('tbaptiste', 'tbaptiste', 'https://github.com/tbaptiste', None)],
                'skills': ['go', 'databases'],
                'outcomes': 'Planner choices are explained by an EXPLAIN command.',
                'summary': 'Keep per-series statistics so the planner picks the cheapest index.',
            },
            {
                'line': 68,
                'title': 'Replication with a write-ahead log',
                'area': None,
                'stars': 5,
                'stars_source': 'Rating: 5/5',
                'time': 5,
                'time_source': 'Large (350 hours)',
                'mentors': [],
                'needs_mentor': True,
                'skills': ['go', 'distributed systems'],
                'outcomes': 'A follower takes over within ten seconds.',
                'summary': 'Ship the write-ahead log to a follower and let it take over when the leader stops.',
            },
            {
                'line': 77,
                'title': 'Compression codec for floats',
                'area': None,
                'stars': 4,
                'stars_source': 'Rating: 4/5',
                'time': 4,
                'time_source': 'Expected time commitment: 175 hours',
                'mentors': ['hkaur'],
                'mentor_details': [('hkaur', 'hkaur', 'https://github.com/hkaur', None)],
                'skills': ['go'],
                'outcomes': 'Float series take half the space they take today.',
                'summary': 'Implement a Gorilla-style codec for floating-point values.',
            },
        ],
        'skipped': [
            "line 87: skipped 'Application template' (page furniture, not a project)",
        ],
        'problems': [
        ],
    },
}


def read(name):
    return parse_wiki((IDEAS / f"{name}.md").read_text())


def as_expected(project, expected):
    """The project's fields in the shape of the expected entry."""
    details = [tuple(d[key] for key in ("name", "handle", "url", "email")) for d in project.mentor_details]
    actual = {
        "line": project.line,
        "title": project.title,
        "area": project.area,
        "stars": project.stars and int(project.stars),
        "stars_source": project.stars_source,
        "time": project.time_rating and int(project.time_rating),
        "time_source": project.time_source,
        "mentors": project.mentors,
        "mentor_details": details,
        "needs_mentor": project.needs_mentor,
        "skills": [
            name if (level.value, required) == ("concepts", True) else (name, level.value, required)
            for name, level, required in project.skills
        ],
        "outcomes": project.outcomes,
        "links": [(kind.value, url, title) for kind, url, title in project.links],
        "summary": project.summary,
    }
    wanted = {
        "mentor_details": [(name, None, None, None) for name in expected["mentors"]],
        "needs_mentor": False,
        "links": [],
        **expected,
    }
    return actual, wanted


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_project_of_the_page_is_read_with_every_stated_field(name):
    result = read(name)
    expected = PAGES[name]
    assert len(expected["projects"]) >= 8
    assert [p.title for p in result.projects] == [p["title"] for p in expected["projects"]]
    for project, wanted in zip(result.projects, expected["projects"], strict=True):
        actual, wanted = as_expected(project, wanted)
        assert actual == wanted, project.title


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_furniture_is_skipped_with_a_report_line_and_problems_name_their_line(name):
    result = read(name)
    assert [str(s) for s in result.skipped] == PAGES[name]["skipped"]
    assert result.skipped, "each test page has furniture"
    assert [str(p) for p in result.problems] == PAGES[name]["problems"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_furniture_becomes_a_project_and_summaries_are_prose(name):
    result = read(name)
    for project in result.projects:
        assert project.title.lower().strip(" :") not in FURNITURE
        assert project.title.lower() not in ("project title", "vector text on paths", "end-to-end encryption")
        assert project.summary == project.summary.strip()
        assert "|" not in project.summary and "**" not in project.summary and "#" not in project.summary
        assert not FIELD_LINE_RE.match(project.summary), project.summary
        for line in project.description.splitlines():
            assert not FIELD_LINE_RE.match(line), (project.title, line)
            assert not line.lstrip().startswith("|"), (project.title, line)
        for mentor in project.mentors:
            assert "[" not in mentor and "(" not in mentor and "@" not in mentor and mentor.strip() == mentor
            assert mentor.lower() not in ("tbd", "to be confirmed", "-", "n/a")


def test_each_page_is_in_a_different_shape():
    levels = {name: read(name).project_level for name in PAGES}
    assert levels == {
        "bold_labels": 3, "plain_labels": 3, "kv_tables": 3, "list_table": None, "sections": 2, "size_headings": 3,
    }


# --- Sub-sections, markers, headings --------------------------------------------------------------


def test_sub_headings_inside_a_project_stay_in_its_description():
    project = read("sections").projects[0]
    assert project.description == (
        "### Abstract\n\nRe-check only the functions whose types could have changed after an edit.\n\n"
        "### Technical details\n\nThe checker keeps a dependency graph between top-level definitions."
    )
    bold = read("bold_labels").projects[1]
    assert "#### Technical details" in bold.description


def test_projects_inside_a_furniture_section_are_not_read():
    result = parse_wiki(
        "# Ideas\n\n## Past editions\n\n### Old thing\n\n**Difficulty:** easy\n\n"
        "## Networking\n\n### New thing\n\nText.\n\n**Difficulty:** hard\n"
    )
    assert [(p.title, p.area, int(p.stars)) for p in result.projects] == [("New thing", "Networking", 4)]
    assert [str(s) for s in result.skipped] == ["line 3: skipped 'Past editions' (page furniture, not a project)"]


def test_headings_in_fenced_code_are_text():
    result = parse_wiki(
        "## Ideas\n\n### Shell helper\n\nRun it:\n\n```sh\n# install it\n## not a heading\n```\n\n"
        "**Difficulty:** easy\n"
    )
    [project] = result.projects
    assert "# install it\n## not a heading" in project.description
    assert project.stars == Stars.TWO


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("## 3. Plugin system", "Plugin system"),
        ("## 3) Plugin system ##", "Plugin system"),
        ("## Plugin system [Taken in 2024]", "Plugin system"),
        ("## **Plugin system**", "Plugin system"),
        ("## [Plugin system](https://example.org/p)", "Plugin system"),
        ("## Project 3: Plugin system", "Plugin system"),
    ],
)
def test_numbering_markers_and_markup_leave_the_title(heading, title):
    result = parse_wiki(f"# Ideas\n\n{heading}\n\nText.\n\n**Difficulty:** easy\n")
    assert [p.title for p in result.projects] == [title]


# --- A page with no project says why --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Just some words.\nNo headings here.\n", "the page has no headings and no table of projects"),
        ("# How to apply\n\nWrite to us.\n\n# Rules\n\nBe kind.\n", "every section is page furniture"),
        ("# Our ideas page\n\nNothing yet.\n", "no heading holds a project"),
        ("# Ideas\n\n## Plugin system\n\nProse.\n\n## Themes\n\nProse.\n",
         "headings at level 2 (##) look like projects, but none has a field"),
        ("## Storage\n\n### (3-star)\n\nText.\n", "headings at level 3 (###) look like projects, but none could"),
    ],
)
def test_a_page_with_no_project_says_why(text, why):
    result = parse_wiki(text)
    assert result.projects == []
    problem = result.problems[-1]
    assert why in problem.message and problem.message.startswith("no project found")


def test_an_empty_page_still_reports_nothing():
    assert parse_wiki("   \n\n") == ParseResult([], [], [], 3)


# --- Difficulty words -> stars ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stars"),
    [
        ("easy", 2), ("Medium", 3), ("hard", 4), ("high", 4), ("beginner", 1), ("intermediate", 3),
        ("advanced", 4), ("medium to hard", 4), ("Easy – straightforward task, the parser exists", 2),
        ("very hard", 5), ("3/5", 3), ("5 / 5", 5), ("4 out of 10", 2), ("★★★", 3), ("2", 2),
    ],
)
def test_difficulty_words_map_to_stars_through_the_table(value, stars):
    [project] = parse_wiki(f"# Ideas\n## A project\nText.\n**Difficulty level:** {value}\n").projects
    assert project.stars == Stars(stars)
    assert project.stars_source == f"Difficulty level: {value}"


def test_the_difficulty_table_can_be_changed_by_the_caller():
    page = "# Ideas\n## A project\nText.\n**Difficulty:** easy\n## Another\nText.\n**Difficulty:** spicy\n"
    first, second = parse_wiki(page, difficulty_words={**DIFFICULTY_WORDS, "easy": 1, "spicy": 5}).projects
    assert (first.stars, second.stars) == (Stars.ONE, Stars.FIVE)
    assert parse_wiki(page).projects[0].stars == Stars.TWO


def test_a_difficulty_that_maps_to_nothing_is_reported():
    result = parse_wiki("# Ideas\n## A project\nText.\n**Difficulty:** it depends\n")
    assert result.projects[0].stars is None
    [problem] = result.problems
    assert problem.line == 4 and problem.message.startswith("unknown difficulty 'it depends'")


# --- Sizes -> hours -> time rating ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hours", "rating"),
    [
        ("175 hours", 175, TimeRating.SEASON),
        ("~350 hours (large)", 350, TimeRating.INTERNSHIP),
        ("Medium project – 175 hours", 175, TimeRating.SEASON),
        ("90 or 175 hours", 175, TimeRating.SEASON),
        ("small (90 hours)", 90, TimeRating.FEW_WEEKS),
        ("2 weeks", 80, TimeRating.FEW_WEEKS),
        ("Large", 350, TimeRating.INTERNSHIP),
        ("3 days", 24, TimeRating.WEEK),
    ],
)
def test_sizes_map_to_a_time_rating_through_hours(value, hours, rating):
    assert hours_from_size(value) == hours
    [project] = parse_wiki(f"# Ideas\n## A project\nText.\n- Expected size of project: {value}\n").projects
    assert project.time_rating == rating
    assert project.time_source == f"Expected size of project: {value}"


def test_a_size_that_maps_to_nothing_is_reported():
    result = parse_wiki("# Ideas\n## A project\nText.\n**Project size:** flexible\n")
    assert result.projects[0].time_rating is None
    assert [p.line for p in result.problems] == [4]
    assert result.problems[0].message.startswith("unknown size 'flexible'")


# --- Mentors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "details"),
    [
        ("[Ann Lee](mailto:ann@example.org)", [("Ann Lee", None, None, "ann@example.org")]),
        ("[@ann](https://github.com/ann)", [("ann", "ann", "https://github.com/ann", None)]),
        ("@ann, @bo", [("ann", "ann", None, None), ("bo", "bo", None, None)]),
        ("Ann Lee (GitHub: @alee, Email: ann@example.org)", [("Ann Lee", "alee", None, "ann@example.org")]),
        ("Ann Lee <ann@example.org>", [("Ann Lee", None, None, "ann@example.org")]),
        ("[Ann Lee](mailto:a@x.org), [Ann Lee](mailto:b@y.org)", [("Ann Lee", None, None, "a@x.org")]),
        ("Ann Lee and Bo Chen", [("Ann Lee", None, None, None), ("Bo Chen", None, None, None)]),
        ("To be confirmed", []),
        ("TBD, -", []),
    ],
)
def test_mentors_are_names_with_their_handle_url_and_email_kept_apart(value, details):
    found, _ = read_mentors(value)
    assert [tuple(d[key] for key in ("name", "handle", "url", "email")) for d in found] == details


def test_reference_links_give_the_mentor_its_address():
    [project] = parse_wiki("# Ideas\n## A project\nText.\n**Mentors:** [@ann][], [Bo][bo]\n\n"
                           "[@ann]: https://github.com/ann\n[bo]: https://example.org/bo\n").projects
    assert project.mentor_details == [
        {"name": "ann", "handle": "ann", "url": "https://github.com/ann", "email": None},
        {"name": "Bo", "handle": None, "url": "https://example.org/bo", "email": None},
    ]


def test_a_placeholder_mentor_flags_the_project_as_needing_one():
    [project] = parse_wiki("# Ideas\n## A project\nText.\n**Mentors:** To be confirmed\n").projects
    assert (project.mentors, project.needs_mentor) == ([], True)


# --- Skills written as prose ------------------------------------------------------------------------


def test_prose_skills_become_short_names_and_the_rest_stays_in_the_description():
    [project] = parse_wiki(
        "# Ideas\n## A project\nText.\n"
        "**Skills required:** Basic Scala skills, knowledge of the JUCE framework, "
        "a willingness to read old C code written before the standard\n"
    ).projects
    assert [(name, level.value) for name, level, _ in project.skills] == [
        ("scala", "concepts"), ("juce framework", "concepts"),
    ]
    assert project.description == (
        "Text.\nSkills required: a willingness to read old C code written before the standard"
    )


def test_the_spec_wiki_shape_keeps_unknown_labels_in_the_description_silently():
    result = parse_wiki("### Path MTU discovery\nLarge segments are dropped.\nPrerequisites: none.\n")
    assert result.projects[0].description == "Large segments are dropped.\nPrerequisites: none."
    assert result.problems == []


def test_a_bold_label_alone_takes_the_bullets_under_it():
    [project] = parse_wiki(
        "# Ideas\n## A project\nText.\n\n**Mentors**\n\n- Ann Lee\n- @bo\n\n"
        "**An easy, medium or hard difficulty rating of each project:** medium-hard\n"
    ).projects
    assert project.mentors == ["Ann Lee", "bo"]
    assert (project.stars, project.description) == (Stars.FOUR, "Text.")


def test_a_size_heading_of_hours_alone_rates_the_projects_under_it_and_a_field_wins():
    result = parse_wiki(
        "# Ideas\n## 350 hours\n### First\nText.\n**Difficulty:** easy\n"
        "### Second\nText.\n**Difficulty:** easy\n**Size:** 40 hours\n"
    )
    first, second = result.projects
    assert (first.time_rating, first.time_source) == (TimeRating.INTERNSHIP, "350 hours")
    assert (second.time_rating, second.time_source) == (TimeRating.WEEK, "Size: 40 hours")
    assert first.area is None


def test_a_co_mentor_line_adds_to_the_mentors_and_a_name_given_twice_is_one_mentor():
    [project] = parse_wiki(
        "# Ideas\n## A project\nText.\n**Mentor:** [Ann Lee](mailto:ann@example.org)\n"
        "**Co-mentor:** Bo Chen, Ann Lee (GitHub: @alee)\n**Experts:** @cy\n"
    ).projects
    assert project.mentors == ["Ann Lee", "Bo Chen", "cy"]
    assert project.mentor_details[0] == {"name": "Ann Lee", "handle": "alee", "url": None, "email": "ann@example.org"}


@pytest.mark.parametrize("path", ["tests/data/wiki_page.md", "pioneer/demo/catalogue.md"])
def test_a_spec_page_reads_the_same_when_page_furniture_makes_it_another_shape(path):
    text = (Path(__file__).parent.parent / path).read_text()
    plain, framed = parse_wiki(text), parse_wiki(text + "\n\n## Rules\n\nBe kind.\n")
    assert [str(s) for s in framed.skipped] == [f"line {len(text.splitlines()) + 3}: skipped 'Rules' "
                                                "(page furniture, not a project)"]
    assert [str(p) for p in framed.problems] == [str(p) for p in plain.problems]
    fields = ("title", "area", "stars", "time_rating", "summary", "description", "outcomes", "mentors", "skills",
              "status", "links", "actual_hours")
    assert [[getattr(p, f) for f in fields] for p in framed.projects] == [
        [getattr(p, f) for f in fields] for p in plain.projects
    ]


@pytest.mark.parametrize("value", ["TBD", "-", "?"])
def test_a_placeholder_difficulty_or_size_is_no_value_and_no_problem(value):
    result = parse_wiki(f"# Ideas\n## A project\nText.\n**Difficulty:** {value}\n**Project size:** {value}\n")
    assert (result.projects[0].stars, result.projects[0].time_rating, result.problems) == (None, None, [])


def test_a_sub_heading_that_names_a_field_takes_the_lines_under_it():
    [project] = parse_wiki(
        "# Ideas\n## Project ideas\n### Idea: Faster startup\n\nStartup loads every plugin eagerly.\n\n"
        "#### Expected outcomes\n\n- Startup under a second\n- A profile in the docs\n\n"
        "#### Requirements\n\nA laptop.\n\n**Difficulty rating:** Medium\n"
    ).projects
    assert project.title == "Faster startup"
    assert project.outcomes == "- Startup under a second\n- A profile in the docs"
    assert project.description == "Startup loads every plugin eagerly.\n\n#### Requirements\n\nA laptop."
    assert (project.stars, project.stars_source) == (Stars.THREE, "Difficulty rating: Medium")


def test_fields_under_the_only_sub_heading_of_a_spec_project_stay_with_the_project():
    result = parse_wiki("## Net\n### Packet capture\nCapture.\n#### Hints\nMentors: Ann\n")
    assert [(p.title, p.mentors) for p in result.projects] == [("Packet capture", ["Ann"])]
    assert result.projects[0].description == "Capture.\n#### Hints"
