"""`python -m assistant` runs the same command line as the `assistant` console script."""

from assistant.cli import main

if __name__ == "__main__":
    main()
