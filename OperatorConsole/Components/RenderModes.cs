using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Challenge.OperatorConsole.Components;

public static class RenderModes
{
    /// <summary>
    /// The pages' mode: interactive on the server, without prerendering, so that a page asks the APIs once (not once to
    /// prerender and again when the circuit starts).
    /// </summary>
    public static readonly IComponentRenderMode Interactive = new InteractiveServerRenderMode(prerender: false);
}
