"""`python -m bench`: see `bench.run`; `python -m bench reports`: see `bench.reports`."""

import sys

if sys.argv[1:2] == ["reports"]:
    from bench.reports import main

    sys.exit(main(sys.argv[2:]))

from bench.run import main

sys.exit(main())
