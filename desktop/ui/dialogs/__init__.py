"""Dialogs of the editor: year locking, indicator definitions, boxes, plan properties."""
