using Microsoft.Playwright;

namespace Challenge.ConsoleTests.Infrastructure;

/// <summary>Moving through a page as a person without a mouse does: Tab until the control wanted has the focus.</summary>
public static class Keyboard
{
    private const int MostTabs = 80;

    // The focused control's name as a person hears it: its label (an input), else its text or aria-label (a button, a link).
    private const string FocusedName = """
        () => {
          const e = document.activeElement;
          if (!e) return '';
          if (e.labels && e.labels.length) return e.labels[0].textContent.trim();
          return (e.getAttribute('aria-label') || e.textContent || '').trim();
        }
        """;

    /// <summary>Presses Tab until the control named <paramref name="name"/> has the focus; fails if it is never reached.</summary>
    public static async Task TabToAsync(this IPage page, string name)
    {
        for (var i = 0; i < MostTabs; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string>(FocusedName) == name)
            {
                return;
            }
        }
        Assert.Fail($"'{name}' is not reached by the Tab key on {page.Url}.");
    }

    /// <summary>Tabs to a field and types into it, as a person would.</summary>
    public static async Task TypeIntoAsync(this IPage page, string label, string text)
    {
        await page.TabToAsync(label);
        await page.Keyboard.TypeAsync(text);
    }
}
