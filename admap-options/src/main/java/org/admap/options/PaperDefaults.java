package org.admap.options;

import org.admap.diagnose.DiagnoseOptions;
import picocli.CommandLine;

/**
 * The defaults of the diagnosis thresholds on the command line ({@code --max-corr},
 * {@code --bottom}, {@code --low-impact}), taken from {@link DiagnoseOptions#paper}, the one
 * place the paper's numbers are written, so that {@code --help} and the behaviour cannot
 * drift from it.
 */
public final class PaperDefaults implements CommandLine.IDefaultValueProvider {

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec option ? DiagnoseOptions.paperDefault(option.longestName())
                : null;
    }
}
