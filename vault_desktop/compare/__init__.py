"""Compare two versions: side by side with synced zoom and pan, a swipe, or their difference."""
