"""No tables: this module is here because Django sends post_migrate only to apps that have one (see ops.apps)."""
