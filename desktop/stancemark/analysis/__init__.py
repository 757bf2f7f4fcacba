"""Analysis over annotations and text: suggestions, networks, agreement, statistics."""
