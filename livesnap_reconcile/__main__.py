"""`python -m livesnap_reconcile`: the same entry point as the `livesnap` console script."""

from livesnap_reconcile.cli.entry import main

if __name__ == "__main__":
    main()
