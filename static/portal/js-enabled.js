// Lets GOV.UK Frontend's styles know scripts run; pages work without it too.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
