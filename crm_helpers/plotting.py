"""Chinese labels in matplotlib and seaborn plots, on any machine (中文图表字体).

Plots use Noto Sans SC (思源黑体), shipped as a font file in the PyPI package
``pylopdf-fonts-zh-cn`` (SIL Open Font License), so Chinese titles and labels render on a
fresh Linux machine without system fonts or internet, and on Windows or macOS alike.

Usage in a lesson::

    from crm_helpers.plotting import set_theme
    set_theme()            # seaborn theme + Chinese font; takes the usual seaborn arguments

Nothing happens at import: matplotlib and seaborn are imported, the font registered and
``rcParams`` changed only when :func:`use_chinese_font` or :func:`set_theme` is called.
"""

from __future__ import annotations

import numbers
from importlib import resources
from typing import Any

__all__ = ["FONT_FAMILY", "bar_chart", "chinese_font_path", "readable", "set_theme", "use_chinese_font"]

#: The family name matplotlib knows the shipped font by.
FONT_FAMILY = "Noto Sans SC"
_FONT_PACKAGE = "pylopdf_fonts_zh_cn"
_FONT_FILE = "NotoSansSC-Regular.otf"
#: Used for any character the Chinese font lacks (matplotlib falls back glyph by glyph).
_FALLBACK = ["DejaVu Sans"]
_MISSING = (
    "没有找到中文字体包 pylopdf-fonts-zh-cn（没有它，图上的中文会变成方框）。"
    "请在课程目录运行 make lab 重新安装环境，或运行 pip install pylopdf-fonts-zh-cn。"
)
_registered_path: str | None = None


def chinese_font_path() -> str:
    """Path of the shipped Noto Sans SC font file (中文字体文件的位置).

    Returns
    -------
    str
        Absolute path of ``NotoSansSC-Regular.otf`` inside the installed
        ``pylopdf_fonts_zh_cn`` package.

    Raises
    ------
    ImportError
        If the font package is not installed or the font file is missing; the message
        (in Chinese) says what to install.

    Examples
    --------
    >>> chinese_font_path().endswith("NotoSansSC-Regular.otf")
    True
    """
    try:
        font = resources.files(_FONT_PACKAGE).joinpath(_FONT_FILE)
    except ModuleNotFoundError as error:
        raise ImportError(_MISSING, name=_FONT_PACKAGE) from error
    if not font.is_file():
        raise ImportError(_MISSING, name=_FONT_PACKAGE)
    return str(font)


def _font_rc() -> dict[str, Any]:
    """The rcParams that make the Chinese font the default."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY, *_FALLBACK],
        "axes.unicode_minus": False,  # plain "-" for negative numbers: every font has it
    }


def use_chinese_font() -> str:
    """Register the Chinese font with matplotlib and make it the default (使用中文字体).

    The font file is added to matplotlib's font manager on the first call only; every
    call (re)sets ``font.family``, ``font.sans-serif`` (Noto Sans SC, then DejaVu Sans for
    anything it lacks) and ``axes.unicode_minus = False``, so it also repairs the settings
    after ``seaborn.set_theme()`` or ``matplotlib.rcdefaults()``.

    Returns
    -------
    str
        The font family name, ``"Noto Sans SC"``.

    Raises
    ------
    ImportError
        If the font package ``pylopdf-fonts-zh-cn`` is not installed.

    See Also
    --------
    set_theme : seaborn's theme with this font.

    Examples
    --------
    >>> use_chinese_font()
    'Noto Sans SC'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][0]
    'Noto Sans SC'
    """
    global _registered_path
    path = chinese_font_path()
    import matplotlib as mpl
    from matplotlib import font_manager

    if _registered_path != path:
        font_manager.fontManager.addfont(path)  # also clears matplotlib's font lookup cache
        _registered_path = path
    mpl.rcParams.update(_font_rc())
    return FONT_FAMILY


def set_theme(**kwargs: Any) -> None:
    """:func:`seaborn.set_theme` that keeps the Chinese font (设置图表主题).

    ``seaborn.set_theme`` resets the font list to Latin fonts; this passes the Chinese
    font along with whatever you give it.

    Parameters
    ----------
    **kwargs
        Passed to :func:`seaborn.set_theme` (``context``, ``style``, ``palette``,
        ``font_scale``, ``color_codes`` …).  An ``rc`` dict is merged with the font
        settings (its ``font.family``, ``font.sans-serif`` and ``axes.unicode_minus`` are
        replaced, everything else is kept); a ``font`` argument is ignored in favour of
        the Chinese font.

    Raises
    ------
    ImportError
        If the font package ``pylopdf-fonts-zh-cn`` is not installed.

    See Also
    --------
    use_chinese_font : only the font, no seaborn theme.

    Examples
    --------
    >>> set_theme(style="whitegrid", rc={"figure.figsize": (6, 4)})
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][0], tuple(matplotlib.rcParams["figure.figsize"])
    ('Noto Sans SC', (6.0, 4.0))
    """
    use_chinese_font()
    import seaborn as sns

    rc = dict(kwargs.pop("rc", None) or {})
    kwargs.pop("font", None)
    rc.update(_font_rc())
    sns.set_theme(font="sans-serif", rc=rc, **kwargs)


def readable(table: Any, *, money: Any = (), shares: Any = ()) -> Any:
    """A copy of a table for reading (便于阅读): money as ``1,234.50``, shares as ``33.5%``.

    Parameters
    ----------
    table : pandas.DataFrame, pandas.Series or number
        The table; it is not modified.  A Series is treated as one column, a number as one value.
    money, shares : sequence of str
        Columns of amounts in 元 (two decimals, thousands separated) and of shares between 0
        and 1 (percent with one decimal).  For a Series give ``money=True`` or ``shares=True``.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        A copy whose chosen columns are text; use the original table to compute.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame or Series.
    ValueError
        If a named column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> shown = readable(pd.DataFrame({"金额": [108000.123], "占比": [0.3348]}), money=["金额"], shares=["占比"])
    >>> shown.loc[0].tolist()
    ['108,000.12', '33.5%']
    """
    import pandas as pd

    def as_money(value: Any) -> str:
        return "" if pd.isna(value) else f"{value:,.2f}"

    def as_share(value: Any) -> str:
        return "" if pd.isna(value) else f"{value:.1%}"

    if isinstance(table, numbers.Real) and not isinstance(table, bool):
        return as_money(table) if money is True else as_share(table) if shares is True else str(table)
    if isinstance(table, pd.Series):
        if money is True:
            return table.map(as_money)
        if shares is True:
            return table.map(as_share)
        return table.copy()
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"readable 需要一张表（DataFrame 或 Series），收到的是 {type(table).__name__}。")
    out = table.copy()
    for columns, show in ((money, as_money), (shares, as_share)):
        for column in columns:
            if column not in out.columns:
                raise ValueError(f"表里没有列 {column!r}；现有的列：{'、'.join(map(str, out.columns))}。")
            out[column] = out[column].map(show)
    return out


def bar_chart(
    values: Any,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    horizontal: bool = False,
    percent: bool = False,
    ax: Any = None,
) -> Any:
    """条形图 with each bar's value written on it (counts, or shares as percent).

    Parameters
    ----------
    values : pandas.Series
        One bar per index label, in this order (bottom to top when horizontal).
    title, xlabel, ylabel : str
        Chinese title and axis labels.
    horizontal : bool, default False
        Horizontal bars (``barh``), easier to read for long labels.
    percent : bool, default False
        Values are shares between 0 and 1: label them as ``12.5%``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the chart.

    Raises
    ------
    TypeError
        If ``values`` is not a Series.
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    if not isinstance(values, pd.Series):
        raise TypeError(f"bar_chart 需要一列数（Series），收到的是 {type(values).__name__}。")
    use_chinese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    if horizontal:
        values.plot.barh(ax=ax, color="#4C72B0")
    else:
        values.plot.bar(ax=ax, color="#4C72B0", rot=0)
    labels = [f"{v:.1%}" if percent else f"{v:,.0f}" for v in values.to_numpy()]
    ax.bar_label(ax.containers[0], labels=labels, padding=3)
    if percent:
        from matplotlib.ticker import PercentFormatter

        (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax
