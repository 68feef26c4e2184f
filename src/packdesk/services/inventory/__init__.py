"""Inventory use cases: the stock view and reorder plans (`stock`), FBA imports (`fba`),
low-stock alerts and the owner's digest (`alerts`), suppliers and purchase orders
(`purchasing`), receiving by scan (`receiving`), cycle counts (`counting`), and the outbox's
handler of e-mails to the owner and suppliers (`mail`)."""
