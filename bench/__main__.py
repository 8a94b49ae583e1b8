"""`python -m bench`: see `bench.run`; `python -m bench reports`: see `bench.reports`;
`python -m bench imports`: see `bench.imports`; `python -m bench live`: see `bench.live`;
`python -m bench profile`: see `bench.profile`; `python -m bench capacity`: see
`bench.capacity`."""

import sys

if sys.argv[1:2] == ["reports"]:
    from bench.reports import main

    sys.exit(main(sys.argv[2:]))

if sys.argv[1:2] == ["live"]:
    from bench.live import main

    sys.exit(main(sys.argv[2:]))

if sys.argv[1:2] == ["imports"]:
    from bench.imports import main

    sys.exit(main(sys.argv[2:]))

if sys.argv[1:2] == ["capacity"]:
    from bench.capacity import main

    sys.exit(main(sys.argv[2:]))

if sys.argv[1:2] == ["profile"]:
    from bench.profile import main

    sys.exit(main(sys.argv[2:]))

from bench.run import main

sys.exit(main())
