using Microsoft.AspNetCore.Components;

namespace Challenge.OperatorConsole.Components.Parts;

/// <summary>
/// A page that keeps itself up to date: it reads once when it opens, then again every <see cref="Interval"/> until the
/// person leaves it, so that what happens elsewhere (an order placed through the orchestrator) appears without a reload.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource stopping = new();

    /// <summary>Cancelled when the person leaves the page.</summary>
    protected CancellationToken Stopping => stopping.Token;

    /// <summary>Reads what the page shows; also called by the page itself after a change.</summary>
    protected abstract Task RefreshAsync();

    protected override async Task OnInitializedAsync()
    {
        await RefreshAsync();
        _ = KeepUpToDateAsync();
    }

    private async Task KeepUpToDateAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
