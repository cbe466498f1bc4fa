"""The main window's room on the screen: its first size, and the share its bottom
panels may take.

A laptop's screen (1280×720, or 1920×1080 at 150 %) is smaller than the window's
preferred size: the window then opens maximised, so that its status bar, where
every confirmation shows, stays on the screen; and the panels at the bottom leave
the editor two thirds of the window's height.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QStyle, QTabBar, QWidget

logger = logging.getLogger(__name__)

# The report pane keeps at least this share of the window's height when a panel opens.
EDITOR_SHARE = 2 / 3
PREFERRED_SIZE = (1400, 900)
# A title bar's height: the window manager adds it above the window's own geometry,
# which is all Qt knows of before the window is shown.
FRAME_ALLOWANCE = 40


class WindowLayout:
    """The main window's geometry and bottom panels (mixed into MainWindow)."""

    def fit_to_screen(self) -> None:
        """A first window fits the screen's free area, title bar and taskbar included:
        on a screen smaller than the window's preferred size it opens maximised."""
        width, height = PREFERRED_SIZE
        room = self._screen_room()
        if room is None:
            self.resize(width, height)
            return
        if room.width() < width or room.height() < height:
            # Un-maximised later, it still fits: the frame's height is left to the system.
            self.resize(min(width, room.width()), max(room.height() - FRAME_ALLOWANCE, 200))
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        self.resize(width, height)
        self.move(
            room.left() + (room.width() - width) // 2,
            room.top() + (room.height() - height - FRAME_ALLOWANCE) // 2,
        )

    def _screen_room(self) -> QRect | None:
        screen = self.screen() or QApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        return room if room is not None and room.width() > 0 else None

    def fits_screen(self) -> bool:
        """Whether the window, its frame included, lies inside the screen's free area."""
        room = self._screen_room()
        if room is None or self.isMaximized() or self.isFullScreen():
            return True
        frame = self.geometry().adjusted(0, -FRAME_ALLOWANCE, 0, 0)
        return room.contains(frame)

    def _panel_shown(self, dock: QDockWidget, shown: bool) -> None:
        if shown:
            QTimer.singleShot(0, self.fit_panels)
        elif shiboken6.isValid(self) and not dock.isFloating():  # (nor while destroyed)
            # Closed, or another tab chosen: the height the user left the panels at stays
            # theirs (measured once the area has settled).
            QTimer.singleShot(0, self, lambda: self._keep_panel_height(dock))
            QTimer.singleShot(0, self, self._title_bars)

    def _dock_tab_bars(self) -> list[QTabBar]:
        """The tab bars of panels sharing a place (the window makes them as needed)."""
        only_direct = Qt.FindChildOption.FindDirectChildrenOnly
        bars = self.findChildren(QTabBar, options=only_direct)
        return [b for b in bars if b.isVisible() and b.count() > 1]

    def _title_bars(self) -> None:
        """A panel behind a tab goes without its title bar: the tab names it, and at
        1280×720 the title's line is a row of findings. Its tab closes it instead."""
        tabbed = set()
        for bar in self._dock_tab_bars():
            if not bar.tabsClosable():
                bar.setTabsClosable(True)
                bar.tabCloseRequested.connect(lambda index, b=bar: self._close_tab(b, index))
            tabbed.update(bar.tabText(i) for i in range(bar.count()))
        for dock in self.findChildren(QDockWidget):
            blank = dock.titleBarWidget()
            if dock.windowTitle() in tabbed and not dock.isFloating():
                if blank is None:
                    dock.setTitleBarWidget(QWidget(dock))
            elif blank is not None and type(blank) is QWidget:
                dock.setTitleBarWidget(None)
                blank.deleteLater()

    def _close_tab(self, bar: QTabBar, index: int) -> None:
        title = bar.tabText(index)
        for dock in self.findChildren(QDockWidget):
            if dock.windowTitle() == title:
                dock.close()
                return

    def _keep_panel_height(self, dock: QDockWidget) -> None:
        if self.isVisible():
            height, room = self._panel_area()
            height = height if self._bottom_docks() else dock.height()  # the last one closed
            # Panels left as high as they may be stay so in a larger window (0).
            self.panel_height = 0 if height >= room - 2 else height

    def _bottom_docks(self) -> list[QDockWidget]:
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        docks = (d for d in self.findChildren(QDockWidget) if not d.isFloating())
        return [d for d in docks if d.isVisible() and self.dockWidgetArea(d) == bottom]

    def fit_panels(self) -> None:
        """Bottom panels take the height they were left at (at first all that leaves the
        editor two thirds of the window's height), and never more."""
        self.layout().activate()  # the places of panels just shown or tabbed
        self._title_bars()
        self.layout().activate()
        docks = [d for d in self._bottom_docks() if not d.isFloating()]
        if not docks:
            return
        for dock in docks:
            if dock.widget() is not None and dock.widget().minimumHeight() == 0:
                # A panel's rows scroll inside it: its own minimum would crowd the editor.
                dock.widget().setMinimumHeight(48)
        now, room = self._panel_area()
        height = min(self.panel_height or room, room)
        if now != height:  # (the height of the panels' group, their tabs included)
            self.resizeDocks(docks, [height] * len(docks), Qt.Orientation.Vertical)

    def _panel_area(self) -> tuple[int, int]:
        """The bottom panels' height now, and the most that leaves the editor its share."""
        central = self.centralWidget().geometry()
        status = self.statusBar()
        bottom = status.geometry().top() if status.isVisible() else self.height()
        gap = self.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent, None, self)
        need = int(self.height() * EDITOR_SHARE + 0.5) + 1
        return bottom - central.bottom() - 1 - gap, max(bottom - central.top() - need - gap, 96)
