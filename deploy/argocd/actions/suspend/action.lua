-- Suspends the release: the operator makes no Atoms API call for it and reports Ready=False,
-- reason Suspended. If Git sets spec.suspend, the next sync (at once, with selfHeal) restores it.
obj.spec.suspend = true
return obj
