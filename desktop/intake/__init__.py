"""Getting data in from workbooks (issue 7): plan tables, indicator × year values, department
fill-in workbooks. Pure reading and mapping into domain objects plus a list of problems by
cell address; the writes go through the store's actions (one transaction, one undo step)."""
