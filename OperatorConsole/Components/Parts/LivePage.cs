using Microsoft.AspNetCore.Components;

namespace Challenge.OperatorConsole.Components.Parts;

/// <summary>
/// A page that keeps itself up to date: it reads once when it opens, then again every <see cref="Interval"/> until the
/// person leaves it, so that what happens elsewhere (an order placed through the orchestrator) appears without a reload.
/// One reading at a time: a page's own reading after a change (<see cref="RefreshNowAsync"/>) and the timer's never
/// overlap, so an older answer never overwrites a newer one.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim reading = new(1, 1);

    protected LivePage() => Stopping = stopping.Token;

    /// <summary>Cancelled when the person leaves the page.</summary>
    protected CancellationToken Stopping { get; }

    /// <summary>Reads what the page shows.</summary>
    protected abstract Task RefreshAsync();

    /// <summary>Reads again now (after a change the page made), after any reading under way.</summary>
    protected Task RefreshNowAsync() => ReadAsync(RefreshAsync);

    /// <summary>Any reading of the page (another page of a list, new filters), after any reading under way.</summary>
    protected async Task ReadAsync(Func<Task> read)
    {
        await reading.WaitAsync(Stopping);
        try
        {
            await read();
        }
        finally
        {
            reading.Release();
        }
    }

    protected override async Task OnInitializedAsync()
    {
        await RefreshNowAsync();
        _ = KeepUpToDateAsync();
    }

    private async Task KeepUpToDateAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(Stopping))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshNowAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            // The page was left.
        }
        catch (Exception e)
        {
            // Not an API's refusal (ConsoleApi answers those): a fault of the page, shown as the circuit's error.
            await DispatchExceptionAsync(e);
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        GC.SuppressFinalize(this);
    }
}
