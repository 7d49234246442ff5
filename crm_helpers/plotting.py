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

from collections.abc import Collection
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FONT_FAMILY",
    "bar_chart",
    "chinese_font_path",
    "labelled_scatter",
    "set_theme",
    "use_chinese_font",
]

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


# ---- charts the lessons draw (the plumbing stays here, the lesson shows the idea) ---------------

_BLUE, _RED = "#4C72B0", "#C44E52"
_PALETTE = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3"]


def _check_numbers(values: Any, name: str) -> pd.DataFrame:
    """``values`` (a Series or DataFrame of numbers) as a DataFrame."""
    if isinstance(values, pd.Series):
        values = values.to_frame(values.name if values.name is not None else "数值")
    if not isinstance(values, pd.DataFrame):
        raise TypeError(
            f"参数 {name} 应该是 pandas 的 Series 或 DataFrame，收到的是 {type(values).__name__}。"
        )
    if values.empty:
        raise ValueError(f"参数 {name} 是空的，没有可以画的数。")
    for column in values.columns:
        if not pd.api.types.is_numeric_dtype(values[column]):
            raise TypeError(
                f"参数 {name} 的列 {column!r} 不是数字（类型 {values[column].dtype}），无法画图。"
            )
    return values


def _label_axes(
    ax: Any, title: str, xlabel: str, ylabel: str, *, percent: bool, horizontal: bool = False
) -> Any:
    """Title and axis labels; with ``percent`` the value axis reads 0%-100%."""
    if percent:
        from matplotlib.ticker import PercentFormatter

        value_axis = ax.xaxis if horizontal else ax.yaxis
        value_axis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def _bar_label(value: float, *, percent: bool) -> str:
    """The text written on a bar: ``42%``, ``1,200`` or ``3.5``."""
    if percent:
        return f"{value:.0%}"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.3g}"


def bar_chart(
    values: pd.Series | pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    percent: bool = True,
    highlight: Collection[Any] = (),
    horizontal: bool = False,
    ax: Any = None,
) -> Any:
    """条形图，每根柱子上写着它的数 (a bar chart with its values written on the bars).

    A Series gives one bar per index value; a DataFrame gives groups of bars (one colour per
    column, with a legend).  Values are written as percentages (``percent=True``, for shares)
    or as plain numbers.

    Parameters
    ----------
    values : pandas.Series or pandas.DataFrame
        The numbers; the index gives the labels under the bars.
    title, xlabel, ylabel : str
        The chart's title and axis labels (Chinese).
    percent : bool, default True
        Write the values as percentages (0.42 → 42%) and label the value axis in percent;
        with ``False`` whole numbers are written with thousands separators (``1,200``).
    highlight : collection, default ()
        Index values whose bars are drawn in red (Series only).
    horizontal : bool, default False
        Draw horizontal bars (the labels on the left, the values along the x axis), handy for
        long Chinese labels; the first index value is at the bottom.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The chart.

    Raises
    ------
    TypeError, ValueError
        If ``values`` is not a Series/DataFrame of numbers or is empty.

    Examples
    --------
    >>> ax = bar_chart(pd.Series({"千牛": 0.33, "电话": 0.39}), title="催付成功率", xlabel="工具", ylabel="成功率")
    >>> [t.get_text() for t in ax.texts]
    ['33%', '39%']
    """
    frame = _check_numbers(values, "values")
    import matplotlib.pyplot as plt

    if ax is None:
        length = max(6, 1.1 * len(frame) * len(frame.columns) ** 0.5)
        _, ax = plt.subplots(figsize=(7, max(3, 0.45 * length)) if horizontal else (length, 4))
    draw = "barh" if horizontal else "bar"
    grouped = isinstance(values, pd.DataFrame)
    if grouped:
        getattr(frame.plot, draw)(ax=ax, rot=0, color=_PALETTE[: len(frame.columns)])
        # Beside the chart, never over a bar or its number.
        ax.legend(title=None, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    else:
        colours = [_RED if key in set(highlight) else _BLUE for key in frame.index]
        getattr(frame.iloc[:, 0].plot, draw)(ax=ax, rot=0, color=colours)
    for bars in ax.containers:
        labels = [_bar_label(v, percent=percent) for v in bars.datavalues]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=9)
    top = float(frame.max().max())
    (ax.set_xlim if horizontal else ax.set_ylim)(0, top * 1.15 if top > 0 else 1)
    return _label_axes(ax, title, xlabel, ylabel, percent=percent, horizontal=horizontal)


def _crowded_on_the_right(xs: pd.Series, ys: pd.Series, near: float = 0.1) -> list[bool]:
    """For each point, whether another point lies close to its right (within ``near`` of
    each axis's span), where a name written on the right would run into it."""
    x = xs.to_numpy(dtype=float)
    y = ys.to_numpy(dtype=float)
    span_x = float(np.ptp(x)) or 1.0
    span_y = float(np.ptp(y)) or 1.0
    crowded = []
    for i in range(len(x)):
        dx = (x - x[i]) / span_x
        dy = np.abs(y - y[i]) / span_y
        right = (dx > 0) | ((dx == 0) & (np.arange(len(x)) > i))
        crowded.append(bool((right & (dx < near) & (dy < near)).any()))
    return crowded


def labelled_scatter(
    table: pd.DataFrame,
    *,
    x: str,
    y: str,
    label: str,
    title: str,
    xlabel: str,
    ylabel: str,
    percent_y: bool = True,
    ax: Any = None,
) -> Any:
    """散点图，每个点旁边写着它的名字 (a scatter plot with a name beside each point).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per point; not modified.
    x, y : str
        Columns of ``table`` with the numbers.
    label : str
        Column of ``table`` with the name written beside each point (e.g. 客服).
    title, xlabel, ylabel, ax
        As in :func:`bar_chart`.
    percent_y : bool, default True
        Label the y axis in percent (for a share such as 询单转化率).

    Returns
    -------
    matplotlib.axes.Axes
        The chart.

    Raises
    ------
    TypeError, ValueError
        If ``table`` is not a DataFrame with those columns, or ``x``/``y`` are not numbers.

    Examples
    --------
    >>> board = pd.DataFrame({"客服": ["小美", "阿强"], "秒": [28.0, 243.0], "率": [0.75, 0.52]})
    >>> ax = labelled_scatter(board, x="秒", y="率", label="客服", title="t", xlabel="x", ylabel="y")
    >>> [t.get_text() for t in ax.texts]
    ['小美', '阿强']
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"参数 table 应该是 pandas 的 DataFrame，收到的是 {type(table).__name__}。")
    missing = [c for c in (x, y, label) if c not in table.columns]
    if missing:
        raise ValueError(f"表格里没有列 {missing}，现有的列：{list(table.columns)}。")
    points = _check_numbers(table[[x, y]], "table")
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    ax.scatter(points[x], points[y], s=120, color=_BLUE)
    for name, px, py, left in zip(
        table[label], points[x], points[y], _crowded_on_the_right(points[x], points[y]), strict=True
    ):
        if left:  # a close neighbour to the right would cover the name: write it on the left
            ax.annotate(str(name), (px, py), xytext=(-8, 4), textcoords="offset points", ha="right")
        else:
            ax.annotate(str(name), (px, py), xytext=(6, 4), textcoords="offset points")
    ax.margins(x=0.15, y=0.12)
    return _label_axes(ax, title, xlabel, ylabel, percent=percent_y)
