-- Asks the operator for an immediate check against Atoms, like `kubectl agr reconcile`: a new value
-- of the atoms.smallest.ai/reconcile-requested-at annotation. Once the check completed,
-- status.lastHandledReconcileAt holds the same value.
local os = require("os")
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["atoms.smallest.ai/reconcile-requested-at"] = os.date("!%Y-%m-%dT%H:%M:%SZ")
return obj
