-- Argo CD resource actions for atoms.smallest.ai/AgentRelease: which ones the UI offers.
-- Installed as discovery.lua of resource.customizations.actions.atoms.smallest.ai_AgentRelease in
-- argocd-cm (argocd-cm-patch.yaml in the parent folder carries this exact text).
--
--   reconcile  check the live version against Atoms now (not while suspended: nothing would run)
--   suspend    set spec.suspend: the operator makes no Atoms call for this release
--   resume     clear spec.suspend
--
-- Written for Argo CD's Lua sandbox: base, table and a safe os (time, date) only.
local actions = {}
actions["reconcile"] = {["disabled"] = true}
actions["suspend"] = {["disabled"] = true}
actions["resume"] = {["disabled"] = true}

local suspended = obj.spec ~= nil and obj.spec.suspend == true
if suspended then
  actions["resume"]["disabled"] = false
else
  actions["reconcile"]["disabled"] = false
  actions["suspend"]["disabled"] = false
end
return actions
